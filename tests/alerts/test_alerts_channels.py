"""Webhooks, digests, poll interval caps."""

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Source
from monitoring.pipeline import schedule
from reputation.alerts import caps, digests, outbox, preferences, scan
from reputation.alerts.models import AlertPreference, Notification, Webhook
from reputation.orgs.models import Membership
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.httpserver import LocalServer
from tests.smtpserver import LocalSMTP


class WebhookTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.http = LocalServer()
        self.http.start()
        self.addCleanup(self.http.stop)
        self.got = []

        def receive(req):
            length = int(req.headers.get("Content-Length", "0"))
            self.got.append(json.loads(req.rfile.read(length)))
            return 200, {"Content-Type": "text/plain"}, b"ok"

        self.http.route("/hooks/abc", handler=receive)
        self.http.route("/hooks/down", status=503)
        AlertPreference.objects.all().delete()
        Membership.objects.filter(organisation=self.org).update(role="viewer")

    def test_it_posts_slack_compatible_json_once(self):
        Webhook.objects.create(organisation=self.org, url=self.http.url("/hooks/abc"))
        mention(self.org, followed_source(self.org), tracked(self.org), title="Accueil glacial")
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        outbox.send_due(now=at)
        outbox.send_due(now=at + timedelta(minutes=5))
        self.assertEqual(len(self.got), 1)
        self.assertIn("Accueil glacial", self.got[0]["text"])
        # Slack's mrkdwn shows &amp; as "&" (a raw & is one of its control characters).
        self.assertIn("Alice &amp; Co", self.got[0]["text"])
        self.assertEqual(self.got[0]["kind"], "instant")

    def test_it_retries_a_webhook_that_is_down(self):
        Webhook.objects.create(organisation=self.org, url=self.http.url("/hooks/down"))
        mention(self.org, followed_source(self.org), tracked(self.org))
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        outbox.send_due(now=at)
        row = Notification.objects.get()
        self.assertEqual((row.status, row.error), ("pending", "webhook answered 503"))

    def test_it_refuses_private_addresses_unless_allowed(self):
        Webhook.objects.create(organisation=self.org, url=self.http.url("/hooks/abc"))
        mention(self.org, followed_source(self.org), tracked(self.org))
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        with self.settings(FETCH_ALLOW_PRIVATE_ADDRESSES=False):
            outbox.send_due(now=at)
        self.assertEqual(self.got, [])
        self.assertIn("address refused", Notification.objects.get().error)

    def test_it_refuses_a_webhook_to_loopback_through_the_guarded_client(self):
        # "localhost" passes the address's form: only the guarded client's check of
        # what the name resolves to stops it.
        url = self.http.url("/hooks/abc").replace("127.0.0.1", "localhost")
        Webhook.objects.create(organisation=self.org, url=url)
        mention(self.org, followed_source(self.org), tracked(self.org))
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        with self.settings(FETCH_ALLOW_PRIVATE_ADDRESSES=False):
            outbox.send_due(now=at)
        self.assertEqual(self.got, [])
        self.assertEqual(self.http.requests, [])
        row = Notification.objects.get()
        self.assertIn("address refused", row.error)
        self.assertIn("private network", row.error)

    def _hostile_text(self, kind):
        Webhook.objects.create(organisation=self.org, url=self.http.url("/hooks/abc"), kind=kind)
        source = followed_source(self.org)
        source.title = "<!channel> <https://evil.example/src|Votre banque>"
        source.save(update_fields=["title"])
        name = tracked(self.org, label="Dupont & Fils <!here> @all")
        m = mention(self.org, source, name, title="<https://evil.example/t|Cliquez> *vite* [x](y)")
        # The address the organisation's own source gave (the mention's, not the item's).
        m.url = "https://news.example.org/a?x=1&y=<!everyone>|Cliquez>"
        m.save(update_fields=["url"])
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        outbox.send_due(now=at)
        self.assertEqual(len(self.got), 1, Notification.objects.values_list("error", flat=True))
        return self.got[0]["text"]

    def test_it_escapes_hostile_fields_for_slack(self):
        text = self._hostile_text("slack")
        for raw in ("<!channel>", "<!here>", "<!everyone>", "<https://evil.example"):
            self.assertNotIn(raw, text)
        self.assertIn("&lt;!channel&gt; &lt;https://evil.example/src|Votre banque&gt;", text)
        self.assertIn("Dupont &amp; Fils &lt;!here&gt; @all", text)
        # Only our own links are links: the item's address (its `<`, `>` and `|`
        # encoded) and the dashboard's.
        links = re.findall(r"<([^<>|]*)\|", text)
        self.assertEqual(
            links,
            [
                "https://news.example.org/a?x=1&amp;y=%3C!everyone%3E%7CCliquez%3E",
                settings.SITE_ROOT + reverse("dashboard", args=[self.org.code]),
            ],
        )

    def test_it_escapes_hostile_fields_for_mattermost(self):
        text = self._hostile_text("mattermost")
        # No `<` at all: Mattermost turns Slack's <url|label> and <!channel> into links
        # and mentions. No plain @all: Mattermost notifies on it.
        self.assertNotIn("<", text)
        self.assertNotIn("@all", text)
        self.assertIn("Dupont &amp; Fils &lt;!here&gt; @\u2060all", text)
        self.assertIn("&lt;https://evil.example/t\\|Cliquez&gt; \\*vite\\* \\[x\\]\\(y\\)", text)
        targets = re.findall(r"\]\(([^)]*)\)", text)
        self.assertEqual(
            targets,
            [
                "https://news.example.org/a?x=1&y=%3C!everyone%3E%7CCliquez%3E",
                settings.SITE_ROOT + reverse("dashboard", args=[self.org.code]),
            ],
        )


class DigestTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        ctx = self.smtp.overridden()
        ctx.__enter__()
        self.addCleanup(ctx.__exit__, None, None, None)

    def test_it_sends_the_weekly_digest_once_with_trend_and_failing_sources(self):
        paris = ZoneInfo("Europe/Paris")
        monday = timezone.datetime(2026, 3, 9, 8, 30, tzinfo=paris)
        source = followed_source(self.org)
        Source.objects.filter(pk=source.pk).update(
            error_count=3, last_error="the server answered 404"
        )
        name = tracked(self.org)
        mention(self.org, source, name, title="Pain rassis", published=monday - timedelta(days=2))
        mention(
            self.org,
            source,
            name,
            title="Super croissants",
            score=0.8,
            sentiment="positive",
            published=monday - timedelta(days=3),
        )
        mention(
            self.org, source, name, title="Semaine d'avant", published=monday - timedelta(days=9)
        )
        self.assertEqual(digests.create_due(now=monday - timedelta(hours=1)), 0)  # 7:30
        # Charlie's organisation had nothing to say: no empty digest. Alice, Bob and
        # Vera each get theirs (the weekly digest is every role's default).
        self.assertEqual(digests.create_due(now=monday), 3)
        self.assertEqual(Notification.objects.filter(organisation=self.org).count(), 3)
        self.assertEqual(digests.create_due(now=monday + timedelta(hours=1)), 0)
        outbox.send_due(now=monday)
        self.assertEqual(len(self.smtp.to("alice@example.org")), 1)
        text = self.smtp.text(self.smtp.to("alice@example.org")[0])
        self.assertIn("Pain rassis", text)
        self.assertIn("Super croissants", text)
        self.assertNotIn("Semaine d'avant", text)
        self.assertIn("the server answered 404", text)
        self.assertLess(text.index("Pain rassis"), text.index("Super croissants"))


class CapTests(BaseTestCase):
    def test_it_polls_sources_of_instant_alerts_within_the_cap(self):
        watched = followed_source(self.org)
        Source.objects.filter(pk=watched.pk).update(
            interval=21600, next_fetch_at=timezone.now() + timedelta(hours=5)
        )
        lonely = followed_source(self.other_org)
        AlertPreference.objects.all().delete()
        pref = preferences.preference_for(Membership.objects.get(user=self.charlie))
        pref.instant = False
        pref.save()
        caps.refresh()
        watched.refresh_from_db()
        lonely.refresh_from_db()
        cap = settings.ALERT_POLL_INTERVAL
        self.assertEqual(watched.max_interval, cap)
        self.assertLessEqual(
            watched.next_fetch_at, timezone.now() + timedelta(seconds=cap * 1.1 + 60)
        )
        self.assertIsNone(lonely.max_interval)
        # The schedule keeps it there whatever the source's rhythm.
        weekly = [timezone.now() - timedelta(days=7 * i) for i in range(5)]
        self.assertEqual(schedule.interval_after_success(1800, 0, weekly, cap=1800), 1800)
        self.assertEqual(schedule.interval_after_success(1800, 0, weekly), 21600)


@pytest.mark.parametrize("value", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx"])
def test_it_neutralises_formulas(value):
    from reputation.reports.csv import neutralise

    assert neutralise(value) == "'" + value
    assert neutralise("Société") == "Société"
