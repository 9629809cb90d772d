"""Response figures: one computation, the same on the dashboard, the portfolio and
in the digest (sent to a real SMTP server on 127.0.0.1)."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from reputation.alerts import digests, outbox, preferences
from reputation.alerts.models import AlertPreference, DigestFrequency
from reputation.orgs.models import Membership, Role
from reputation.replies import figures
from tests.alerts_data import followed_source
from tests.base import BaseTestCase
from tests.replies_data import said
from tests.smtpserver import LocalSMTP


class FiguresTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        now = timezone.now()
        source = followed_source(self.org)
        # Severe negative from two days ago, never answered: overdue (24 h).
        self.overdue = said(
            self.org, source, score=-0.9, rating=0.0, published=now - timedelta(days=2)
        )
        # A review answered three hours after it was published.
        self.review = said(
            self.org,
            source,
            sentiment="positive",
            score=0.8,
            rating=1.0,
            published=now - timedelta(days=1),
        )
        self.review.set_status(self.bob, "answered", "https://avis.example.org/r/1")
        type(self.review).objects.filter(pk=self.review.pk).update(
            answered_at=self.review.published + timedelta(hours=3)
        )
        # A question of an hour ago: due in a week.
        said(
            self.org,
            source,
            sentiment="neutral",
            score=0.0,
            snippet="Boulangerie Dupont ouvre-t-elle lundi ?",
            published=now - timedelta(hours=1),
        )
        # Nothing to answer; an ignored complaint; another organisation's overdue one.
        said(self.org, source, sentiment="positive", score=0.4, published=now)
        said(self.org, source, status="ignored", published=now - timedelta(days=3))
        said(self.other_org, score=-0.9, rating=0.0, published=now - timedelta(days=2))

    def test_it_counts_rate_median_and_overdue(self):
        f = figures.recent(self.org)
        self.assertEqual(f["needing"], 3)
        self.assertEqual(f["answered"], 1)
        self.assertEqual(f["rate"], 33)
        self.assertEqual(f["median"], timedelta(hours=3))
        self.assertEqual(f["overdue"], 1)
        self.assertEqual(figures.recent(self.other_org)["overdue"], 1)

    def test_it_shows_the_same_figures_on_dashboard_portfolio_and_digest(self):
        Membership.objects.create(user=self.alice, organisation=self.other_org, role=Role.OWNER)
        self.login(self.alice)
        dashboard = self.client.get(reverse("dashboard", args=[self.org.code]))
        shown = dashboard.context["replies"]
        self.assertEqual((shown["rate"], shown["overdue"]), (33, 1))
        self.assertEqual(shown, figures.recent(self.org))
        self.assertContains(dashboard, "33<small> %</small>", html=False)

        portfolio = self.client.get(reverse("portfolio"))
        row = next(r for r in portfolio.context["rows"] if r["org"] == self.org)
        self.assertEqual(row["response_rate"], shown["rate"])
        self.assertEqual(row["overdue"], shown["overdue"])
        self.assertEqual(row["median_response"], shown["median"])

        smtp = LocalSMTP().start()
        self.addCleanup(smtp.stop)
        with smtp.overridden():
            preferences.ensure_all()
            AlertPreference.objects.filter(membership__user=self.alice).update(
                digest=DigestFrequency.DAILY, language="en"
            )
            local = timezone.now().astimezone(self.org.zone)
            at = datetime.combine(local.date() + timedelta(days=1), time(9), tzinfo=self.org.zone)
            self.assertGreaterEqual(digests.create_due(now=at), 1)
            outbox.send_due(now=at)
        # Alice owns both organisations: one digest each, in no promised order.
        sent = [m for m in smtp.to("alice@example.org") if self.org.name in smtp.text(m)]
        self.assertEqual(len(sent), 1)
        text = smtp.text(sent[0])
        self.assertIn("1 overdue answer", text)
        self.assertIn("Response rate over 30 days: 33 %", text)
        self.assertIn("overdue answer", smtp.html(sent[0]))

    def test_it_reminds_overdue_answers_even_without_new_mentions(self):
        at = timezone.now() + timedelta(days=1)
        self.assertTrue(digests.worth_sending(self.org.pk, at - timedelta(hours=1), at))
        self.overdue.set_status(self.bob, "answered")
        self.assertFalse(digests.worth_sending(self.org.pk, at - timedelta(hours=1), at))
