"""Issue 16, defects 2 and 5: trends a person can read, and an empty dashboard that
tells the truth."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings

from monitoring.models import Source
from reputation.dashboard.figures import NET_MIN, _net, change
from reputation.sources.models import Follow
from reputation.templatetags.dashboard_tags import signed_change
from tests.base import BaseTestCase
from tests.dashboard import test_dashboard


def test_it_shows_mentions_not_percentages_on_a_small_base():
    assert signed_change(change(80, 1)) == "+79 mentions"
    assert signed_change(change(111, 1)) == "+110 mentions"
    assert signed_change(change(3, 4)) == "−1 mention"
    assert signed_change(change(5, 0)) == "new"
    assert signed_change(change(200, 100)) == "+100 %"
    assert signed_change(change(7, 7)) == "stable"
    assert signed_change(change(0, 0)) == "nothing before"


def test_it_pools_thin_days_for_the_net_sentiment():
    # One mention a day, alternately positive and negative: daily nets were +100,
    # -100, +100... Pooled, no point is drawn on fewer than NET_MIN mentions.
    days = [{"positive": i % 2, "negative": 1 - i % 2, "neutral": 0, "total": 1} for i in range(14)]
    nets = _net(days)
    assert nets[: NET_MIN - 1] == [None] * (NET_MIN - 1)
    assert all(abs(n) <= 20 for n in nets[NET_MIN - 1 :])
    busy = [{"positive": 8, "negative": 2, "neutral": 0, "total": 10}]
    assert _net(busy) == [60]  # a busy day stands alone


def test_it_draws_curves_that_never_dip_below_their_points():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "dashboard.js").read_text()
    assert 'cubicInterpolationMode: "monotone"' in script


class EmptyDashboardTestCase(BaseTestCase):
    # The dashboard tests' helpers, not their tests (those run in test_dashboard.py).
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://avis.example/", title="Avis du coin")
        self.n = 0

    tracked = test_dashboard.DashboardTestCase.tracked
    mention = test_dashboard.DashboardTestCase.mention
    url = test_dashboard.DashboardTestCase.url

    def test_it_shows_no_index_without_mentions(self):
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertIsNone(page.context["f"]["current"]["index"])
        self.assertNotContains(page, "50<small>/100</small>", html=False)
        self.assertContains(page, "not enough mentions yet")

    def test_it_asks_for_names_and_sources_only_when_missing(self):
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertContains(page, "Add the names to watch")
        self.assertContains(page, "Add sources")
        self.tracked(self.org)
        source = Source.objects.create(url="https://news.example/rss")
        Follow.objects.create(organisation=self.org, source=source)
        page = self.client.get(self.url())
        self.assertContains(page, "1 name is tracked")
        self.assertContains(page, "1 source is followed")
        self.assertContains(page, "Next poll:")
        self.assertNotContains(page, "Add the names to watch")
        self.assertNotContains(page, "Add sources")

    def test_it_shows_the_index_once_there_are_mentions(self):
        self.mention(self.org, age=timedelta(hours=1))
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertEqual(page.context["f"]["current"]["index"], round(100 * 5 / 11))
        self.assertIsNone(page.context["setup"])
