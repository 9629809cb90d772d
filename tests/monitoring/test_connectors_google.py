"""Google Business Profile through its documented contract, served on 127.0.0.1
(tests/connector_servers.py): the OAuth round trip, reading reviews page by page,
refreshing tokens, revocation, rate limits, and replying from the mention page."""

import logging
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from monitoring.models import ConnectorAccount, Sighting, Source, SourceKind
from monitoring.pipeline import poll
from reputation.mentions.models import Mention, MentionStatus
from reputation.sources.connect import connect
from tests.alerts_data import tracked
from tests.base import BaseTestCase
from tests.connector_servers import GoogleServer, google_review


class GoogleTestCase(BaseTestCase):
    reviews = None

    def setUp(self):
        super().setUp()
        self.google = GoogleServer(reviews=self.reviews).start()
        self.addCleanup(self.google.stop)
        overrides = override_settings(SITE_ROOT="http://testserver", **self.google.settings())
        overrides.enable()
        self.addCleanup(overrides.disable)

    def oauth_round_trip(self, user=None):
        """The member clicks "Connect Google", consents at Google, comes back."""
        self.login(user or self.bob)
        r = self.client.post(reverse("connect-google", args=[self.org.code]))
        self.assertEqual(r.status_code, 302)
        consent = httpx.get(r["Location"], follow_redirects=False)
        self.assertEqual(consent.status_code, 302)
        back = urlsplit(consent.headers["location"])
        return r["Location"], self.client.get(f"{back.path}?{back.query}")

    def connected_source(self) -> Source:
        tokens = {
            "access_token": self.google.new_access_token(),
            "refresh_token": "1//refresh-abc",
            "expires_at": time.time() + 3000,
        }
        self.google.refresh_tokens.add("1//refresh-abc")
        source, _new = connect(
            self.org, "google", GoogleServer.LOCATION, "Boulangerie Dupont", **tokens
        )
        return source


class GoogleOAuthTests(GoogleTestCase):
    def test_it_connects_google_through_the_oauth_round_trip(self):
        authorize, r = self.oauth_round_trip()
        query = parse_qs(urlsplit(authorize).query)
        self.assertEqual(query["scope"], ["https://www.googleapis.com/auth/business.manage"])
        self.assertEqual(query["access_type"], ["offline"])
        self.assertEqual(query["redirect_uri"], ["http://testserver/connectors/google/callback/"])
        self.assertTrue(query["state"][0])
        account = ConnectorAccount.objects.get()
        self.assertEqual(
            (account.platform, account.account_id, account.label),
            ("google", GoogleServer.LOCATION, "Boulangerie Dupont"),
        )
        source = Source.objects.get(kind=SourceKind.CONNECTOR)
        self.assertRedirects(
            r,
            reverse("source-detail", args=[self.org.code, source.code]),
            fetch_redirect_response=False,
        )
        self.assertEqual(source.config, {"connector": "google", "account": account.pk})
        self.assertTrue(source.follows.filter(organisation=self.org).exists())
        # The refresh token is stored, encrypted: not in the row's text.
        refresh = account.get_secrets()["refresh_token"]
        self.assertIn(refresh, self.google.refresh_tokens)
        self.assertNotIn(refresh, account.secrets)
        # PKCE: the code was exchanged with the verifier of the challenge sent.
        exchange = self.google.token_requests[0]
        self.assertEqual(exchange["grant_type"], "authorization_code")
        self.assertTrue(exchange["code_verifier"])

    def test_it_refuses_a_callback_whose_state_is_not_this_sessions(self):
        self.login(self.bob)
        self.client.post(reverse("connect-google", args=[self.org.code]))
        r = self.client.get(reverse("connect-google-callback") + "?code=x&state=forged")
        self.assertEqual(r.status_code, 404)
        # And a callback without any pending authorisation.
        r = self.client.get(reverse("connect-google-callback") + "?code=x&state=")
        self.assertEqual(r.status_code, 404)
        self.assertFalse(ConnectorAccount.objects.exists())

    def test_it_lets_only_writers_connect(self):
        self.login(self.viewer)
        r = self.client.post(reverse("connect-google", args=[self.org.code]))
        self.assertEqual(r.status_code, 403)
        self.login(self.charlie)
        r = self.client.post(reverse("connect-google", args=[self.org.code]))
        self.assertEqual(r.status_code, 404)

    def test_it_says_when_the_owner_refuses_access(self):
        self.login(self.bob)
        r = self.client.post(reverse("connect-google", args=[self.org.code]))
        state = parse_qs(urlsplit(r["Location"]).query)["state"][0]
        r = self.client.get(
            reverse("connect-google-callback") + f"?error=access_denied&state={state}", follow=True
        )
        self.assertContains(r, "access was not granted")
        self.assertFalse(ConnectorAccount.objects.exists())

    @override_settings(GOOGLE_CLIENT_ID="")
    def test_it_says_google_is_not_set_up(self):
        self.login(self.bob)
        r = self.client.get(reverse("add-platform", args=[self.org.code]))
        self.assertContains(r, "Not set up on this server yet")
        self.assertContains(r, "Trustpilot: the API key")
        self.assertContains(r, "Pages Jaunes")


class GoogleReviewsTests(GoogleTestCase):
    reviews = [
        google_review(1, "ONE", "Pain rassis, accueil froid."),
        google_review(2, "FIVE"),
        google_review(3, "THREE"),
        google_review(4, "FOUR", dated=False),
        google_review(5, "TWO", comment=""),
    ]

    def test_it_reads_every_page_and_the_stars_become_the_tone(self):
        tracked(self.org)  # "Boulangerie Dupont": the location's title
        source = self.connected_source()
        [report] = poll.poll_now([source])
        self.assertEqual(report.error, "")
        self.assertEqual((report.items_found, report.items_new), (5, 5))
        listed = [p for m, p, h in self.google.srv.requests if p.startswith("/v4/")]
        self.assertEqual(len(listed), 3)  # pages of 2, 2 and 1: nextPageToken followed
        self.assertIn("pageToken=2", listed[1])
        one = Sighting.objects.get(source=source, url__endswith="#r1")
        self.assertEqual(one.rating, 0.2)
        self.assertEqual(one.author, "Client 1")
        self.assertEqual((one.published.month, one.published.day), (1, 2))
        self.assertTrue(one.published_known)
        mention = Mention.objects.get(organisation=self.org, url__endswith="#r1")
        self.assertEqual(mention.rating, 0.2)
        self.assertEqual(mention.sentiment, "negative")
        self.assertEqual(
            Mention.objects.get(organisation=self.org, url__endswith="#r2").sentiment, "positive"
        )
        source.refresh_from_db()
        self.assertEqual(source.title, "Google · Boulangerie Dupont")
        # A second poll stores nothing twice.
        [again] = poll.poll_now([source])
        self.assertEqual(again.items_new, 0)

    def test_it_keeps_date_unknown_for_a_review_without_date(self):
        source = self.connected_source()
        before = timezone.now()
        poll.poll_now([source])
        undated = Sighting.objects.get(source=source, url__endswith="#r4")
        self.assertFalse(undated.published_known)
        self.assertGreaterEqual(undated.published, before)  # the day it was found...
        self.assertTrue(Sighting.objects.get(source=source, url__endswith="#r3").published_known)

    def test_it_refreshes_an_expired_access_token(self):
        source = self.connected_source()
        account = ConnectorAccount.objects.get()
        self.google.expire_access_tokens()  # Google forgot it: 401, then a refresh
        [report] = poll.poll_now([source])
        self.assertEqual(report.error, "")
        self.assertEqual(report.items_new, 5)
        grants = [t["grant_type"] for t in self.google.token_requests]
        self.assertEqual(grants, ["refresh_token"])
        account.refresh_from_db()
        self.assertIn(account.get_secrets()["access_token"], self.google.access_tokens)
        # A token past its expiry is refreshed before asking.
        account.set_secrets(expires_at=time.time() - 10)
        poll.poll_now([source])
        self.assertEqual(len(self.google.token_requests), 2)

    def test_it_explains_a_revoked_access_in_plain_words(self):
        source = self.connected_source()
        self.google.expire_access_tokens()
        self.google.revoked = True  # invalid_grant
        [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "auth_revoked")
        account = ConnectorAccount.objects.get()
        self.assertIsNotNone(account.revoked_at)
        self.login(self.bob)
        r = self.client.get(reverse("source-detail", args=[self.org.code, source.code]))
        self.assertContains(
            r, "Google no longer gives us access to these reviews: reconnect Google."
        )
        self.assertContains(r, "Reconnect Google")
        # Reconnecting updates the same source with the new tokens.
        self.google.revoked = False
        self.oauth_round_trip()
        self.assertEqual(ConnectorAccount.objects.count(), 1)
        account.refresh_from_db()
        self.assertIsNone(account.revoked_at)
        [report] = poll.poll_now([Source.objects.get(pk=source.pk)])
        self.assertEqual(report.error, "")

    def test_it_backs_off_when_google_rate_limits(self):
        source = self.connected_source()
        self.google.rate_limited = True
        [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "rate_limited")
        source.refresh_from_db()
        self.assertGreaterEqual(source.next_fetch_at, timezone.now() + timedelta(seconds=110))
        self.assertIn("slow down", source.last_error)


class GoogleReplyTests(GoogleTestCase):
    reviews = [google_review(1, "ONE", "Boulangerie Dupont : pain rassis.")]

    def setUp(self):
        super().setUp()
        tracked(self.org)
        self.source = self.connected_source()
        poll.poll_now([self.source])
        self.mention = Mention.objects.get(organisation=self.org)
        self.url = reverse("reply-on-platform", args=[self.org.code, self.mention.code])

    def test_it_posts_a_reply_from_the_mention_page(self):
        self.login(self.bob)
        page = self.client.get(reverse("mention-detail", args=[self.org.code, self.mention.code]))
        self.assertContains(page, "Publish the reply on Google")
        r = self.client.post(self.url, {"text": "Merci, nous allons faire mieux."})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.google.replies, {"r1": "Merci, nous allons faire mieux."})
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.status, MentionStatus.ANSWERED)

    def test_it_lets_neither_viewers_nor_outsiders_reply(self):
        self.login(self.viewer)
        page = self.client.get(reverse("mention-detail", args=[self.org.code, self.mention.code]))
        self.assertNotContains(page, "Publish the reply on Google")
        self.assertEqual(self.client.post(self.url, {"text": "x"}).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.post(self.url, {"text": "x"}).status_code, 404)
        self.assertEqual(self.google.replies, {})

    def test_it_says_why_a_reply_failed(self):
        self.google.expire_access_tokens()
        self.google.revoked = True
        self.login(self.bob)
        r = self.client.post(self.url, {"text": "Merci"}, follow=True)
        self.assertContains(r, "reconnect Google")
        self.mention.refresh_from_db()
        self.assertNotEqual(self.mention.status, MentionStatus.ANSWERED)


class GoogleSecretsTests(GoogleTestCase):
    reviews = [google_review(1, "ONE", "Boulangerie Dupont : pain rassis.")]

    def test_it_never_shows_nor_logs_tokens(self):
        tracked(self.org)
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("tests").debug("captured")
            self.oauth_round_trip()
            source = Source.objects.get(kind=SourceKind.CONNECTOR)
            poll.poll_now([source])
            self.google.expire_access_tokens()
            self.google.revoked = True
            poll.poll_now([source])
        account = ConnectorAccount.objects.get()
        secrets = [*self.google.refresh_tokens, *self.google.access_tokens]
        secrets += [account.get_secrets()["access_token"], "client-secret-xyz"]
        self.assertTrue(all(secrets))
        text = "\n".join(logs.output)
        for secret in secrets:
            self.assertNotIn(secret, text)
        mention = Mention.objects.get(organisation=self.org)
        for user in (self.viewer, self.alice):
            self.login(user)
            for url in (
                reverse("source-detail", args=[self.org.code, source.code]),
                reverse("mention-detail", args=[self.org.code, mention.code]),
                reverse("sources", args=[self.org.code]),
            ):
                body = self.client.get(url).content.decode()
                for secret in secrets:
                    self.assertNotIn(secret, body)
                self.assertNotIn(account.secrets, body)
        self.assertNotIn(account.get_secrets()["refresh_token"], repr(account))
