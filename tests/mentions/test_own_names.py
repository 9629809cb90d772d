"""Own names, not competitors: asked of Mention.objects.own() by every reader.

A competitor's mentions only appear in the dashboard's share of voice: never in
its latest mentions, the inbox's default view or "what to answer first", the crisis
(spike) measure, webhooks, or the monthly report, whose totals equal the dashboard's.
"""

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from reputation.alerts import scan, spikes
from reputation.alerts.models import Notification, Webhook
from reputation.dashboard import rollups
from reputation.dashboard.figures import figures
from reputation.dashboard.periods import Period
from reputation.inbox.filters import inbox_queryset
from reputation.mentions.models import Mention, Sentiment
from reputation.names.models import TrackedKind
from reputation.reports import monthly
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase


class OwnNamesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = followed_source(self.org)
        self.own = tracked(self.org, "Boulangerie Dupont")
        self.rival = tracked(self.org, "Fournil Lefèvre", kind=TrackedKind.COMPETITOR)
        now = timezone.now()
        self.mine = mention(
            self.org, self.source, self.own, score=0.6, sentiment=Sentiment.POSITIVE
        )
        # The competitor's bad press: three fresh negative mentions.
        self.theirs = [
            mention(
                self.org,
                self.source,
                self.rival,
                published=now - timedelta(minutes=30 + i),
                created=now - timedelta(minutes=20),
            )
            for i in range(3)
        ]

    def test_it_counts_own_names_only(self):
        self.assertEqual(list(Mention.objects.own()), [self.mine])
        self.assertEqual(set(Mention.objects.competitors()), set(self.theirs))
        self.assertTrue(self.rival.is_competitor)
        self.assertFalse(self.own.is_competitor)

    def test_it_keeps_competitors_out_of_the_dashboards_latest_mentions(self):
        self.login(self.alice)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertEqual([m.pk for m in r.context["mentions"]], [self.mine.pk])

    def test_it_keeps_competitors_out_of_answer_first(self):
        answer_first = inbox_queryset(self.org, {"sort": "priority"})
        self.assertEqual(list(answer_first), [self.mine])
        # Chosen by name, a competitor's mentions can be read, by date, never ranked.
        chosen = {"name": str(self.rival.code)}
        self.assertEqual(set(inbox_queryset(self.org, chosen)), set(self.theirs))
        self.assertEqual(list(inbox_queryset(self.org, {**chosen, "sort": "priority"})), [])
        self.assertEqual(list(inbox_queryset(self.org, {})), [self.mine])

    def test_it_keeps_competitors_out_of_the_inbox_page(self):
        self.login(self.alice)
        r = self.client.get(reverse("inbox", args=[self.org.code]), {"sort": "priority"})
        self.assertContains(r, self.mine.title)
        for theirs in self.theirs:
            self.assertNotContains(r, theirs.title)

    def test_it_keeps_competitors_out_of_the_crisis_measure(self):
        k, baseline, _days, recent = spikes.measure(self.org.pk, timezone.now())
        self.assertEqual((k, baseline, recent), (0, 0, []))

    def test_it_keeps_competitors_out_of_webhooks(self):
        Webhook.objects.create(organisation=self.org, url="http://127.0.0.1:9/hook")
        scan.scan(timezone.now())
        self.assertFalse(Notification.objects.filter(webhook__isnull=False).exists())
        # The organisation's own bad news does reach them.
        own_bad = mention(
            self.org, self.source, self.own, created=timezone.now() - timedelta(minutes=5)
        )
        scan.scan(timezone.now())
        hooked = Notification.objects.get(webhook__isnull=False)
        self.assertEqual(list(hooked.mentions.all()), [own_bad])

    def test_it_gives_the_monthly_report_the_dashboards_totals(self):
        march = datetime(2026, 3, 10, 12, tzinfo=UTC)
        Mention.objects.update(published=march)
        rollups.rebuild(self.org)
        start, end = monthly.bounds(self.org, 2026, 3)
        report = monthly.figures(self.org, start, end)
        dashboard = figures(self.org, Period(start.date(), (end - timedelta(days=1)).date()))
        self.assertEqual(report["current"]["total"], dashboard["current"]["total"])
        self.assertEqual(report["current"]["total"], 1)
        self.assertEqual(report["current"]["negative"], dashboard["current"]["negative"])
        self.assertEqual(report["negative"], [])
