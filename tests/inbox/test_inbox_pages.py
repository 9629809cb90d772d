"""Keyset pagination of the inbox: every mention once, in order, ties included."""

from datetime import timedelta

from django.utils import timezone

from reputation.inbox.filters import inbox_queryset
from reputation.inbox.pages import decode, paginate
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions


class KeysetTestCase(BaseTestCase):
    def walk(self, params, size):
        seen, cursor = [], ""
        for _ in range(100):
            page = paginate(inbox_queryset(self.org, params), cursor, size=size)
            seen += [m.pk for m in page.rows]
            if not page.next_cursor:
                return seen
            cursor = page.next_cursor
        self.fail("pagination does not end")

    def test_it_pages_through_ties_without_duplicates_or_misses(self):
        now = timezone.now().replace(microsecond=123456)
        add_mentions(self.org, 7, start=now, step=timedelta(0))  # seven at the same instant
        add_mentions(self.org, 9, start=now - timedelta(hours=1))
        add_mentions(self.org, 5, start=now, step=timedelta(0), sentiment="negative")
        expected = list(inbox_queryset(self.org, {}).values_list("pk", flat=True))
        self.assertEqual(len(expected), 21)
        for size in (1, 2, 3, 5, 20, 21, 50):
            self.assertEqual(self.walk({}, size), expected, f"page size {size}")

    def test_it_pages_through_the_priority_order(self):
        now = timezone.now()
        add_mentions(self.org, 6, start=now, step=timedelta(0))
        add_mentions(self.org, 6, start=now, step=timedelta(hours=5), sentiment="negative")
        add_mentions(self.org, 4, start=now, step=timedelta(0), status="handled")
        expected = list(inbox_queryset(self.org, {"sort": "priority"}).values_list("pk", flat=True))
        self.assertEqual(len(expected), 16)
        for size in (1, 4, 7):
            self.assertEqual(self.walk({"sort": "priority"}, size), expected)

    def test_it_keeps_microseconds_in_the_cursor(self):
        now = timezone.now().replace(microsecond=999999)
        add_mentions(self.org, 3, start=now, step=timedelta(microseconds=1))
        first = paginate(inbox_queryset(self.org, {}), "", size=1)
        value, _pk = decode(first.next_cursor, "published")
        self.assertEqual(value, now)
        self.assertEqual(len(self.walk({}, 1)), 3)

    def test_it_ignores_a_broken_cursor(self):
        add_mentions(self.org, 3)
        for cursor in ("x", "1.2.3", "99999999999999999999999.1", ""):
            page = paginate(inbox_queryset(self.org, {}), cursor, size=10)
            self.assertEqual(len(page.rows), 3, cursor)

    def test_it_pages_within_a_filter(self):
        add_mentions(self.org, 5, sentiment="negative")
        add_mentions(self.org, 5, sentiment="positive")
        seen = self.walk({"sentiment": ["negative"]}, 2)
        self.assertEqual(len(seen), 5)


class PriorityTestCase(BaseTestCase):
    def test_it_gives_collected_mentions_their_priority(self):
        from monitoring.models import Item
        from reputation.inbox.priority import compute_priority
        from reputation.mentions.models import Mention
        from reputation.names.models import TrackedName
        from tests.base import record_mentions
        from tests.inbox_data import source_for

        source = source_for(self.org)
        TrackedName.objects.create(organisation=self.org, label="Dupont")
        item = Item.objects.create(
            source=source,
            guid_hash="p1",
            title="Dupont : accueil désagréable, pain rassis, très déçu",
            published=timezone.now(),
            language="fr",
        )
        record_mentions(source, [item])
        mention = Mention.objects.get(item=item)
        self.assertGreater(mention.priority, int(mention.published.timestamp()))
        self.assertEqual(mention.priority, compute_priority(mention))
