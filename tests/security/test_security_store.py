"""Issue 9, points 5, 9 and 14: what is stored from hostile pages is clean.

One bad item never costs the others; only http(s) links are stored; an IPv6
literal keeps its brackets."""

from unittest import mock

from django.db import DataError
from django.test import TestCase

from monitoring.models import Item, Source
from monitoring.parse.canonical import canonical_url
from monitoring.parse.sanitize import clean_text, safe_url
from monitoring.pipeline import store
from monitoring.types import Entry
from reputation.orgs.models import Organisation
from reputation.sources.follow import InvalidSource, follow_source, normalise_source_url


class StoreTestCase(TestCase):
    def setUp(self):
        self.org = Organisation.objects.create(slug="a", name="A")
        self.source = Source.objects.create(url="https://forum.example/t/1", kind="forum")

    def test_it_strips_control_characters_and_keeps_the_good_items(self):
        entries = [
            Entry(
                guid="1",
                url="https://forum.example/p/1",
                title="Bad\x00 title\x07",
                text="Body\x00 with\x1b NUL\nand lines",
                author="Jo\x00e",
            ),
            Entry(guid="2", url="https://forum.example/p/2", title="Good", text="Fine text"),
        ]
        new_items, _ = store.store_entries(self.source, entries)
        self.assertEqual(len(new_items), 2)
        bad = Item.objects.get(url="https://forum.example/p/1")
        self.assertEqual(bad.title, "Bad title")
        self.assertEqual(bad.text, "Body with NUL\nand lines")
        self.assertEqual(bad.author, "Joe")
        self.assertTrue(Item.objects.filter(title="Good").exists())

    def test_it_keeps_the_good_items_when_the_database_refuses_one(self):
        # Whatever cleaning misses: the database refuses one item, the others stay.
        real_item_for = store._item_for

        def item_for(source, guid_hash, entry, now):
            if entry.title == "Refused":
                raise DataError("value refused")
            return real_item_for(source, guid_hash, entry, now)

        entries = [
            Entry(guid="1", url="https://forum.example/p/1", title="Refused", text="a"),
            Entry(guid="2", url="https://forum.example/p/2", title="Good", text="b"),
        ]
        with (
            mock.patch.object(store, "_store_batch", side_effect=DataError("refused")),
            mock.patch.object(store, "_item_for", side_effect=item_for),
        ):
            new_items, sightings = store.store_entries(self.source, entries)
        self.assertEqual([i.title for i in new_items], ["Good"])
        self.assertEqual(list(Item.objects.values_list("title", flat=True)), ["Good"])

    def test_it_strips_lone_surrogates(self):
        self.assertEqual(clean_text("a\ud800b\x7fc\x85d\te"), "abcd\te")

    def test_it_stores_only_http_links(self):
        entries = [
            Entry(guid="1", url="javascript:alert(document.cookie)", title="Script", text="x1"),
            Entry(guid="2", url="data:text/html;base64,PHNjcmlwdD4=", title="Data", text="x2"),
            Entry(guid="3", url="https://ok.example/a", title="Web", text="x3"),
        ]
        store.store_entries(self.source, entries)
        urls = dict(Item.objects.values_list("title", "url"))
        self.assertEqual(urls, {"Script": "", "Data": "", "Web": "https://ok.example/a"})


class SafeUrlTestCase(TestCase):
    def test_it_allows_only_absolute_http_addresses(self):
        for bad in (
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "\x00javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example/",
            "/relative",
            "http:",
            "http://[::1",
        ):
            self.assertEqual(safe_url(bad), "", bad)
        for good in ("http://a.example/", "HTTPS://a.example/x?y=1", "http://[::1]:8198/"):
            self.assertEqual(safe_url(good), good)


class Ipv6TestCase(TestCase):
    def test_it_keeps_the_brackets_of_ipv6_literals(self):
        self.assertEqual(canonical_url("http://[::1]:8198/"), "http://[::1]:8198/")
        self.assertEqual(canonical_url("https://[2001:DB8::1]/a"), "https://[2001:db8::1]/a")
        org = Organisation.objects.create(slug="a", name="A")
        source, _ = follow_source(org, "http://[::1]:8198/feed")
        self.assertEqual(source.url, "http://[::1]:8198/feed")

    def test_it_refuses_an_unclosed_ipv6_literal(self):
        self.assertEqual(canonical_url("http://[::1/feed"), "")
        with self.assertRaises(InvalidSource):
            normalise_source_url("http://[::1/feed")
