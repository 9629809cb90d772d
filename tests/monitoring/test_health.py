from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from monitoring.models import Item, Sighting, Source
from monitoring.pipeline import health


def make_source(**kwargs) -> Source:
    now = timezone.now()
    defaults = {"url": "https://example.org/feed.xml", "last_success_at": now}
    defaults.update(kwargs)
    return Source.objects.create(**defaults)


def add_items(source: Source, dates, known=True) -> None:
    """Items first stored from this source, sighted there with these dates (as the
    poll stores them)."""
    for n, published in enumerate(dates):
        guid = f"{source.pk}-{n}"
        item = Item.objects.create(
            source=source, guid_hash=guid, title=f"item {n}", published=published
        )
        Sighting.objects.create(
            item=item, source=source, guid_hash=guid, published=published, published_known=known
        )


class UsualGapTestCase(TestCase):
    def test_it_is_none_below_two_dates(self):
        now = timezone.now()
        self.assertIsNone(health.usual_gap([]))
        self.assertIsNone(health.usual_gap([now]))

    def test_it_takes_the_median_so_one_break_does_not_set_it(self):
        now = timezone.now()
        dates = [now - timedelta(days=d) for d in (0, 1, 2, 3, 40)]
        self.assertEqual(health.usual_gap(dates), timedelta(days=1))


class IsSilentTestCase(TestCase):
    def setUp(self):
        self.now = timezone.now()

    def test_it_flags_a_daily_source_quiet_for_ten_days(self):
        source = make_source()
        add_items(source, [self.now - timedelta(days=10 + d) for d in range(10)])
        self.assertTrue(health.is_silent(source, self.now))

    def test_it_does_not_flag_a_daily_source_quiet_for_five_days(self):
        # 4 x 1 day is less than the 7-day floor: the floor applies.
        source = make_source()
        add_items(source, [self.now - timedelta(days=5 + d) for d in range(10)])
        self.assertFalse(health.is_silent(source, self.now))

    def test_it_follows_a_weekly_rhythm(self):
        source = make_source()
        add_items(source, [self.now - timedelta(days=20 + 7 * w) for w in range(6)])
        self.assertFalse(health.is_silent(source, self.now))  # 20 days < 4 weeks
        later = self.now + timedelta(days=10)
        self.assertTrue(health.is_silent(source, later))  # 30 days > 4 weeks

    def test_it_counts_the_newest_item_collected(self):
        source = make_source(last_item_at=self.now - timedelta(days=1))
        add_items(source, [self.now - timedelta(days=10 + d) for d in range(10)])
        self.assertFalse(health.is_silent(source, self.now))

    def test_it_ignores_undated_items(self):
        # Undated items carry their collection time, which says nothing of the rhythm.
        source = make_source()
        add_items(source, [self.now - timedelta(days=30 + d) for d in range(5)], known=False)
        self.assertFalse(health.is_silent(source, self.now))

    def test_it_needs_a_rhythm(self):
        source = make_source(last_item_at=self.now - timedelta(days=90))
        add_items(source, [self.now - timedelta(days=90)])
        self.assertFalse(health.is_silent(source, self.now))

    def test_it_leaves_failing_sources_to_their_error(self):
        source = make_source(error_count=3)
        add_items(source, [self.now - timedelta(days=10 + d) for d in range(10)])
        self.assertFalse(health.is_silent(source, self.now))
        never = make_source(url="https://example.org/other.xml", last_success_at=None)
        add_items(never, [self.now - timedelta(days=10 + d) for d in range(10)])
        self.assertFalse(health.is_silent(never, self.now))

    def test_it_uses_the_dates_given_without_a_query(self):
        source = make_source()
        dates = [self.now - timedelta(days=10 + d) for d in range(10)]
        with self.assertNumQueries(0):
            self.assertTrue(health.is_silent(source, self.now, dates))

    def test_it_counts_items_first_stored_under_another_source(self):
        # The alert feed carried these items, but news feeds had them first.
        news = make_source(url="https://news.example.org/rss")
        alerts = make_source(url="https://www.google.com/alerts/feeds/1/2")
        add_items(news, [self.now - timedelta(days=10 + d) for d in range(10)])
        for n, item in enumerate(Item.objects.filter(source=news)):
            Sighting.objects.create(
                item=item, source=alerts, guid_hash=str(n), published=item.published
            )
        self.assertEqual(len(health.recent_published(alerts)), 10)
        self.assertTrue(health.is_silent(alerts, self.now))
