"""The poll's set-based INSERT: the rows bulk_create would write, keys read back."""

import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from monitoring.models import Item, Sighting, Source, SourceKind
from monitoring.pipeline.inserts import insert
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation

WHEN = datetime(2026, 3, 3, 10, 0, 0, 123456, tzinfo=UTC)


def _item(source, n, **fields) -> Item:
    values = {
        "url": f"https://b.example/{n}",
        "url_hash": f"u{n}",
        "guid_hash": f"g{n}",
        "fingerprint": f"f{n}",
        "title": f"Titre {n} « é »",
        "text": "texte\navec des lignes",
        "published": WHEN,
        "published_known": n % 2 == 0,
        "collected": WHEN,
    }
    return Item(source=source, **{**values, **fields})


class InsertTestCase(TestCase):
    def setUp(self):
        self.source = Source.objects.create(url="https://b.example/feed", kind=SourceKind.FEED)

    def test_it_writes_every_field_and_sets_the_keys_in_order_in_one_statement(self):
        items = [_item(self.source, n) for n in range(5)]
        with CaptureQueriesContext(connection) as queries:
            insert(items)
        self.assertEqual(len(queries), 1)
        self.assertEqual(
            [i.pk for i in items], list(Item.objects.order_by("pk").values_list("pk", flat=True))
        )
        for item in items:
            stored = Item.objects.get(pk=item.pk)
            self.assertEqual(
                (
                    stored.url_hash,
                    stored.title,
                    stored.text,
                    stored.published,
                    stored.published_known,
                ),
                (item.url_hash, item.title, item.text, WHEN, item.published_known),
            )
            self.assertFalse(item._state.adding)

    def test_it_reads_a_foreign_key_from_an_object_saved_after_the_row_was_built(self):
        item = _item(self.source, 1)
        sighting = Sighting(item=item, source=self.source, guid_hash="g1", published=WHEN)
        insert([item])
        insert([sighting])
        self.assertEqual(Sighting.objects.get(pk=sighting.pk).item_id, item.pk)

    def test_it_fails_on_a_duplicate_as_bulk_create_does(self):
        insert([_item(self.source, 1)])
        with self.assertRaises(IntegrityError), transaction.atomic():
            insert([_item(self.source, 2, guid_hash="g1")])  # same source and guid
        self.assertEqual(Item.objects.count(), 1)

    def test_it_skips_conflicting_mentions_and_keeps_json_and_uuids(self):
        org = Organisation.objects.create(slug="o", name="O")
        name = TrackedName.objects.create(organisation=org, label="Dupont")
        item = _item(self.source, 1)
        insert([item])

        def mention(title):
            return Mention(
                organisation=org,
                tracked_name=name,
                item=item,
                source=self.source,
                published=WHEN,
                title=title,
                highlights=[[0, 6]],
                aspects=["accueil"],
            )

        first = mention("premier")
        self.assertEqual(insert([first], ignore_conflicts=True, returning="code"), [first.code])
        # Rows skipped are not answered: the caller counts only what it wrote.
        skipped = [mention("second"), mention("troisième")]
        self.assertEqual(insert(skipped, ignore_conflicts=True, returning="code"), [])
        [stored] = Mention.objects.all()
        self.assertEqual((stored.title, stored.code), ("premier", first.code))
        self.assertIsInstance(stored.code, uuid.UUID)
        self.assertEqual((stored.highlights, stored.aspects), ([[0, 6]], ["accueil"]))

    def test_it_writes_in_batches_the_database_accepts(self):
        items = [_item(self.source, n) for n in range(1200)]  # 15,600 parameters
        insert(items)
        self.assertEqual(Item.objects.count(), 1200)
        self.assertEqual(len({i.pk for i in items}), 1200)

    def test_it_refuses_rows_that_already_have_a_key(self):
        item = _item(self.source, 1)
        insert([item])
        with self.assertRaises(ValueError):
            insert([item])  # the same row again would be written under another key
        self.assertEqual(Item.objects.count(), 1)
