"""Rollups under concurrency: workers saving mentions at the same moment, into the
same daily rows, each add their share; a mention two workers find at once counts
once. Real threads and connections, on SQLite or PostgreSQL (DATABASE_URL)."""

import threading
from datetime import UTC, datetime

from django.db import connection
from django.test import TransactionTestCase

from monitoring.models import Item, Source
from reputation.dashboard import rollups
from reputation.dashboard.models import DailyAuthor, DailyCount
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation

WORKERS = 4
EACH = 5


class ConcurrencyTestCase(TransactionTestCase):
    def setUp(self):
        self.org = Organisation.objects.create(slug="dupont", name="Dupont")
        self.tracked = TrackedName.objects.create(organisation=self.org, label="Dupont")
        self.source = Source.objects.create(url="https://avis.example/")
        self.noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
        self.items = [
            Item.objects.create(
                source=self.source, guid_hash=str(i), author="Léa", published=self.noon
            )
            for i in range(WORKERS * EACH)
        ]

    def mention(self, item):
        return Mention(
            organisation=self.org,
            tracked_name=self.tracked,
            item=item,
            source=self.source,
            published=self.noon,
            sentiment="negative",
            aspects=["price"],
            author=item.author,
        )

    def run_workers(self, batches):
        barrier = threading.Barrier(len(batches))
        errors = []

        def work(batch):
            try:
                barrier.wait(timeout=10)
                save_mentions(PendingMentions([self.mention(item) for item in batch]))
            except Exception as exc:  # noqa: BLE001 (reported by the test)
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(b,)) for b in batches]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])

    def test_it_adds_every_workers_share_to_the_same_rows(self):
        self.run_workers([self.items[i * EACH : (i + 1) * EACH] for i in range(WORKERS)])
        self.assertEqual(DailyCount.objects.get().count, WORKERS * EACH)
        self.assertEqual(DailyAuthor.objects.get().count, WORKERS * EACH)

    def test_it_counts_once_a_mention_two_workers_find_at_once(self):
        self.run_workers([self.items[:EACH]] * WORKERS)
        self.assertEqual(Mention.objects.count(), EACH)
        self.assertEqual(DailyCount.objects.get().count, EACH)
        before = list(DailyCount.objects.values_list("count", flat=True))
        rollups.rebuild(self.org)
        self.assertEqual(list(DailyCount.objects.values_list("count", flat=True)), before)
