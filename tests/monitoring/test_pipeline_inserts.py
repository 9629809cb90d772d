"""The poll's set-based INSERT: the rows bulk_create would write, keys read back."""

import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import Item, Sighting, Source, SourceKind
from monitoring.pipeline.inserts import insert, new_row
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


def _fields(obj) -> dict:
    state = obj._state
    values = {k: v for k, v in vars(obj).items() if k != "_state"}
    return {**values, "_state": (state.adding, state.db, state.fields_cache)}


class NewRowTestCase(TestCase):
    """new_row builds the object Model(**values) builds, for less CPU."""

    def setUp(self):
        self.source = Source.objects.create(url="https://b.example/feed", kind=SourceKind.FEED)

    def test_it_builds_what_the_model_builds_with_defaults_filled_in(self):
        item_values = {
            "source_id": self.source.pk,
            "url": "https://b.example/1",
            "url_hash": "u1",
            "title": "Titre « é »",
            "published": WHEN,
            "collected": WHEN,  # a callable default: given, so that both agree
        }
        sighting_values = {"item_id": 7, "source_id": self.source.pk, "guid_hash": "g"}
        sighting_values |= {"created": WHEN, "published": WHEN, "rating": 4.5}
        for model, values in ((Item, item_values), (Sighting, sighting_values)):
            built, expected = new_row(model, **values), model(**values)
            self.assertIs(type(built), model)
            self.assertEqual(_fields(built), _fields(expected))
            self.assertEqual(list(vars(built)), list(vars(expected)))

    def test_it_calls_callable_defaults_for_each_row(self):
        before = timezone.now()
        item = new_row(Item, source_id=self.source.pk, url="https://b.example/2")
        self.assertGreaterEqual(item.collected, before)
        self.assertEqual((item.published_known, item.pk, item.title), (True, None, ""))

    def test_it_stores_like_a_model_built_row(self):
        rows = [_item(self.source, 1), new_row(Item, **_values(_item(self.source, 2)))]
        insert(rows)
        stored = {i.url: _values(i) for i in Item.objects.all()}
        self.assertEqual(stored["https://b.example/2"], {**_values(rows[1]), "id": rows[1].pk})

    def test_it_refuses_what_is_not_a_field_attname(self):
        with self.assertRaises(TypeError):
            new_row(Item, source=self.source)  # an object: Model(source=...) only


def _values(item) -> dict:
    return {f.attname: getattr(item, f.attname) for f in Item._meta.concrete_fields}
