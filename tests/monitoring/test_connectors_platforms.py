"""Trustpilot and Tripadvisor through their documented contracts on 127.0.0.1
(tests/connector_servers.py), and the connectors' registry."""

import logging
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from monitoring import connectors
from monitoring.models import ConnectorAccount, Sighting, Source, SourceKind
from monitoring.pipeline import poll
from reputation.mentions.models import Mention
from tests.alerts_data import tracked
from tests.base import BaseTestCase
from tests.connector_servers import TripadvisorServer, TrustpilotServer


class TrustpilotTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.tp = TrustpilotServer().start()
        self.addCleanup(self.tp.stop)
        overrides = override_settings(TRUSTPILOT_API=self.tp.srv.url("/v1"))
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.url = reverse("connect-key", args=[self.org.code, "trustpilot"])

    def connect(self, key=TrustpilotServer.KEY, unit=TrustpilotServer.UNIT):
        self.login(self.bob)
        data = {"account_id": unit, "api_key": key, "label": "Boulangerie Dupont"}
        return self.client.post(self.url, data)

    def test_it_connects_with_a_key_and_reads_every_page(self):
        tracked(self.org)
        r = self.connect()
        source = Source.objects.get(kind=SourceKind.CONNECTOR)
        self.assertRedirects(
            r,
            reverse("source-detail", args=[self.org.code, source.code]),
            fetch_redirect_response=False,
        )
        [report] = poll.poll_now([source])
        self.assertEqual((report.error, report.items_new), ("", 5))
        pages = [p for _m, p, h in self.tp.srv.requests]
        self.assertEqual(len(pages), 3)  # 2 + 2 + 1, following the "next-page" link
        self.assertTrue(
            all(h.get("apikey") == TrustpilotServer.KEY for _m, p, h in self.tp.srv.requests)
        )
        first = Sighting.objects.get(source=source, url__endswith=f"{0:024x}")
        self.assertEqual((first.rating, first.author), (0.2, "Client 0"))
        self.assertEqual(Mention.objects.filter(organisation=self.org).count(), 5)

    def test_it_refuses_a_malformed_id_before_asking(self):
        r = self.connect(unit="../../admin")
        self.assertContains(r, "business unit id is 24 characters")
        self.assertFalse(ConnectorAccount.objects.exists())
        self.assertEqual(self.tp.srv.requests, [])

    def test_it_says_when_the_key_is_refused(self):
        self.connect(key="wrong-key-000000")
        source = Source.objects.get(kind=SourceKind.CONNECTOR)
        [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "auth_revoked")
        self.assertIsNotNone(ConnectorAccount.objects.get().revoked_at)
        r = self.client.get(reverse("source-detail", args=[self.org.code, source.code]))
        self.assertContains(r, "Trustpilot no longer accepts our key")
        self.assertContains(r, "Enter a new key")
        # Entering the right key again fixes the same source.
        self.connect()
        self.assertEqual(Source.objects.filter(kind=SourceKind.CONNECTOR).count(), 1)
        [report] = poll.poll_now([Source.objects.get(pk=source.pk)])
        self.assertEqual(report.error, "")

    def test_it_backs_off_on_rate_limits(self):
        self.connect()
        self.tp.rate_limited = True
        source = Source.objects.get(kind=SourceKind.CONNECTOR)
        [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "rate_limited")
        source.refresh_from_db()
        self.assertGreaterEqual(source.next_fetch_at, timezone.now() + timedelta(seconds=50))

    def test_it_never_shows_nor_logs_the_key(self):
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("tests").debug("captured")
            self.connect()
            source = Source.objects.get(kind=SourceKind.CONNECTOR)
            poll.poll_now([source])
            self.tp.rate_limited = True
            poll.poll_now([source])
        self.assertNotIn(TrustpilotServer.KEY, "\n".join(logs.output))
        for user in (self.viewer, self.bob):
            self.login(user)
            for url in (
                reverse("source-detail", args=[self.org.code, source.code]),
                reverse("sources", args=[self.org.code]),
            ):
                self.assertNotContains(self.client.get(url), TrustpilotServer.KEY)
        self.assertNotContains(self.client.get(self.url), TrustpilotServer.KEY)
        # A refused form does not render the key back either.
        r = self.connect(unit="bad")
        self.assertNotContains(r, TrustpilotServer.KEY)

    def test_it_lets_only_writers_connect(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.login(self.bob)
        bad = reverse("connect-key", args=[self.org.code, "google"])  # not a key platform
        self.assertEqual(self.client.get(bad).status_code, 404)


class TripadvisorTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.ta = TripadvisorServer().start()
        self.addCleanup(self.ta.stop)
        overrides = override_settings(TRIPADVISOR_API=self.ta.srv.url("/api/v1"))
        overrides.enable()
        self.addCleanup(overrides.disable)

    def connect(self):
        self.login(self.bob)
        url = reverse("connect-key", args=[self.org.code, "tripadvisor"])
        data = {"account_id": TripadvisorServer.LOCATION, "api_key": TripadvisorServer.KEY}
        self.client.post(url, {**data, "label": "Hôtel Dupont"})
        return Source.objects.get(kind=SourceKind.CONNECTOR)

    def test_it_reads_the_latest_reviews_and_keeps_date_unknown(self):
        source = self.connect()
        before = timezone.now()
        [report] = poll.poll_now([source])
        self.assertEqual((report.error, report.items_new), ("", 3))
        dated = Sighting.objects.get(source=source, url__endswith="r987654321.html")
        self.assertTrue(dated.published_known)
        self.assertEqual((dated.rating, dated.author), (0.4, "Voyageur0"))
        undated = Sighting.objects.get(source=source, url__endswith="r987654323.html")
        self.assertFalse(undated.published_known)
        self.assertGreaterEqual(undated.published, before)

    def test_it_backs_off_on_rate_limits(self):
        source = self.connect()
        self.ta.rate_limited = True
        [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "rate_limited")
        source.refresh_from_db()
        self.assertGreaterEqual(source.next_fetch_at, timezone.now() + timedelta(seconds=25))


class RegistryTests(BaseTestCase):
    @override_settings(GOOGLE_CLIENT_ID="id", GOOGLE_CLIENT_SECRET="secret")
    def test_it_lists_connectors_and_whether_they_are_configured(self):
        found = {c["key"]: c for c in connectors.available()}
        self.assertEqual(set(found), {"google", "trustpilot", "tripadvisor"})
        self.assertTrue(found["google"]["configured"])
        self.assertTrue(found["google"]["can_reply"])
        with override_settings(GOOGLE_CLIENT_SECRET=""):
            self.assertFalse(connectors.available()[0]["configured"])

    def test_it_says_what_each_platform_needs_on_the_add_page(self):
        self.login(self.bob)
        r = self.client.get(reverse("add-source", args=[self.org.code]))
        self.assertContains(r, reverse("add-platform", args=[self.org.code]))
        r = self.client.get(reverse("add-platform", args=[self.org.code]))
        self.assertContains(r, "Trustpilot: the API key of your Trustpilot API application")
        self.assertContains(r, "Tripadvisor: a Content API key")
        self.assertContains(r, "offers businesses no way to read their reviews")
