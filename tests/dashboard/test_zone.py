"""One time zone per organisation (Organisation.zone): the report's month, the
dashboard's days, digests and quiet hours all read it."""

from datetime import UTC, date, datetime

from django.test import override_settings

from reputation.dashboard import rollups
from reputation.dashboard.models import DailyCount
from reputation.mentions.models import Mention
from reputation.reports import monthly
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase


@override_settings(TIME_ZONE="Europe/Paris")
class ZoneTestCase(BaseTestCase):
    def test_it_puts_a_mention_in_the_same_day_and_month_on_the_dashboard_and_report(self):
        self.org.time_zone = "Pacific/Auckland"
        self.org.save()
        # 12:00 UTC on 31 March is 01:00 on 1 April in Auckland (14:00 in Paris).
        m = mention(self.org, followed_source(self.org), tracked(self.org))
        Mention.objects.filter(pk=m.pk).update(published=datetime(2026, 3, 31, 12, tzinfo=UTC))
        rollups.rebuild(self.org)
        self.assertEqual(DailyCount.objects.get(organisation=self.org).day, date(2026, 4, 1))
        april = monthly.figures(self.org, *monthly.bounds(self.org, 2026, 4))
        march = monthly.figures(self.org, *monthly.bounds(self.org, 2026, 3))
        self.assertEqual((april["current"]["total"], march["current"]["total"]), (1, 0))
        self.assertEqual(str(self.org.zone), "Pacific/Auckland")

    def test_it_falls_back_to_the_sites_zone_for_an_unknown_name(self):
        self.org.time_zone = "Mars/Base"
        self.assertEqual(str(self.org.zone), "Europe/Paris")
