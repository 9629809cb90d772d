"""The poll's lookup of items already stored, by URL or by content."""

import unittest

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from monitoring.models import Item, Source, SourceKind
from monitoring.pipeline import store
from monitoring.pipeline.inserts import insert
from tests.monitoring.test_pipeline_inserts import _item


class KnownItemsTestCase(TestCase):
    def setUp(self):
        self.source = Source.objects.create(url="https://b.example/feed", kind=SourceKind.FEED)

    def test_it_finds_items_by_either_key_each_once_oldest_first(self):
        both = _item(self.source, 1)
        by_content = _item(self.source, 2, url_hash="", url="")
        by_url = _item(self.source, 3)
        elsewhere = _item(self.source, 4)
        insert([both, by_content, by_url, elsewhere])
        with CaptureQueriesContext(connection) as queries:
            found = store._known({"u1", "u3", "u9"}, {"f1", "f2", "f8"})
        self.assertEqual([i.pk for i in found], [both.pk, by_content.pk, by_url.pk])
        self.assertEqual(found[0].title, both.title)
        self.assertEqual(len(queries), 1)

    def test_it_asks_nothing_without_keys(self):
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(store._known(set(), set()), [])
        self.assertEqual(len(queries), 0)

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's planner")
    def test_it_reads_each_key_from_its_index_on_a_table_without_statistics(self):
        # A table no ANALYZE has seen yet (a new deployment, autovacuum not yet by):
        # an OR of both IN lists was planned as a scan of every item, at each poll.
        # Items the size of real ones (a story's text), so that the table is large.
        items = [_item(self.source, n, text="Un texte. " * 120) for n in range(3000)]
        insert(items)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [Item._meta.db_table]
            )
            self.assertLess(cursor.fetchone()[0], 1)  # never analysed
        urls = {f"u{n}" for n in range(0, 3000, 150)}
        contents = {f"f{n}" for n in range(7, 3000, 150)}
        with CaptureQueriesContext(connection) as queries:
            found = store._known(urls, contents)
        self.assertEqual(len(found), 40)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + queries[0]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("unique_item_url", plan)
        self.assertIn("item_fingerprint", plan)
        self.assertNotIn("Seq Scan", plan)
