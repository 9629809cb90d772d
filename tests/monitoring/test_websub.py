"""WebSub end to end: a feed names a local hub, we subscribe, the hub verifies our
intent through our real callback (a live server), pushes signed content that becomes
mentions and an email (real SMTP sink); bad signatures, oversized bodies, renewals,
unsubscribing and a hub on a private address."""

from datetime import timedelta

from django.test import LiveServerTestCase, override_settings
from django.utils import timezone

from monitoring.models import Item, Source, SourceKind
from monitoring.pipeline.poll import poll_now
from monitoring.websub import service
from monitoring.websub.models import State, Subscription
from reputation.alerts import caps, outbox, preferences, scan
from reputation.alerts.models import AlertPreference
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.create import create_organisation
from reputation.sources.models import Follow
from tests.httpserver import LocalServer
from tests.monitoring.websub_hub import LocalHub, get, post
from tests.smtpserver import LocalSMTP

COMPLAINT = "Très déçu par Boulangerie Dupont : accueil désagréable, je déconseille vivement."


def feed(hub: str, topic: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>https://news.example.org/{guid}</link>"
        f"<guid>{guid}</guid><pubDate>{timezone.now():%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description>{title}</description></item>"
        for guid, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>Le Progrès</title><link>https://news.example.org/</link>"
        f'<atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{topic}"/>'
        f"{entries}</channel></rss>"
    ).encode()


class WebSubTests(LiveServerTestCase):
    def setUp(self):
        self.hub = LocalHub().start()
        self.addCleanup(self.hub.stop)
        self.site = LocalServer()
        self.site.start()
        self.addCleanup(self.site.stop)
        self.topic = self.site.url("/feed.xml")
        self.serve([("old-1", "Travaux rue Garibaldi")])
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        for ctx in (self.smtp.overridden(), override_settings(SITE_ROOT=self.live_server_url)):
            ctx.__enter__()
            self.addCleanup(ctx.__exit__, None, None, None)
        self.org, _ = create_organisation("dupont", "Boulangerie Dupont", "owner@example.org")
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        self.source = Source.objects.create(url=self.topic, kind=SourceKind.FEED)
        self.follow = Follow.objects.create(
            organisation=self.org, source=self.source, created=timezone.now() - timedelta(days=1)
        )
        preferences.ensure_all()
        AlertPreference.objects.update(threshold=0)

    def serve(self, items):
        body = feed(self.hub.url, self.topic, items)
        self.site.route("/feed.xml", body, headers={"Content-Type": "application/rss+xml"})

    def subscribe(self) -> Subscription:
        poll_now([self.source])
        self.source.refresh_from_db()
        self.assertEqual((self.source.hub, self.source.topic), (self.hub.url, self.topic))
        self.assertEqual(service.maintain(), {"subscribe": 1, "unsubscribe": 0})
        self.assertEqual(self.hub.verify_pending(), [True])
        return Subscription.objects.get(source=self.source)

    def test_it_subscribes_to_the_hub_a_feed_names_and_answers_its_verification(self):
        sub = self.subscribe()
        form = self.hub.requests[0]
        self.assertEqual(form["hub.mode"], "subscribe")
        self.assertEqual(form["hub.topic"], self.topic)
        self.assertEqual(form["hub.callback"], f"{self.live_server_url}/websub/{sub.token}/")
        self.assertEqual(form["hub.secret"], sub.secret)
        self.assertGreaterEqual(len(sub.secret), 32)
        self.assertEqual(form["hub.lease_seconds"], "864000")
        self.assertEqual(sub.state, State.ACTIVE)
        self.source.refresh_from_db()
        self.assertEqual(self.source.pushed_until, sub.expires_at)
        self.assertGreater(sub.expires_at, timezone.now() + timedelta(days=9))
        # Nothing to do on the next round: no second request.
        self.assertEqual(service.maintain(), {"subscribe": 0, "unsubscribe": 0})

    def test_it_echoes_a_challenge_only_for_the_request_it_has_pending(self):
        sub = self.subscribe()
        callback = sub.callback_url()
        # Nothing pending any more: a replayed or forged verification gets a 404.
        query = f"hub.mode=subscribe&hub.topic={self.topic}&hub.challenge=abc"
        self.assertEqual(get(f"{callback}?{query}")[0], 404)
        query = f"hub.mode=unsubscribe&hub.topic={self.topic}&hub.challenge=abc"
        self.assertEqual(get(f"{callback}?{query}")[0], 404)
        self.assertEqual(Subscription.objects.get().state, State.ACTIVE)
        # An unknown token: 404 for verifications and pushes alike.
        unknown = f"{self.live_server_url}/websub/nope/"
        self.assertEqual(get(f"{unknown}?{query}")[0], 404)
        self.assertEqual(post(unknown, b"<rss/>", {"Content-Type": "application/rss+xml"})[0], 404)

    def test_it_stores_a_signed_push_and_emails_the_alert(self):
        self.subscribe()
        body = feed(self.hub.url, self.topic, [("new-1", COMPLAINT), ("old-1", "Travaux")])
        self.assertEqual(self.hub.publish(self.topic, body), [202])
        mention = Mention.objects.get(organisation=self.org)
        self.assertIn("accueil désagréable", mention.item.title)
        self.assertEqual(Subscription.objects.get().pushes, 1)

        scan.scan(now=timezone.now() + timedelta(seconds=61))
        outbox.send_due(now=timezone.now() + timedelta(seconds=61))
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertIn("accueil désagréable", self.smtp.text(self.smtp.messages[0]))
        # The same push again (a hub retrying) creates nothing twice.
        self.hub.publish(self.topic, body)
        self.assertEqual(Mention.objects.filter(organisation=self.org).count(), 1)

    def test_it_ignores_a_push_with_a_bad_signature_but_answers_2xx(self):
        self.subscribe()
        body = feed(self.hub.url, self.topic, [("new-1", COMPLAINT)])
        with self.assertLogs("monitoring.websub.service", "WARNING"):
            self.assertEqual(self.hub.publish(self.topic, body, secret="forged"), [202])
        self.assertFalse(Item.objects.filter(title__contains="accueil désagréable").exists())
        self.assertEqual(Subscription.objects.get().refused_pushes, 1)
        # Unsigned: ignored too.
        sub = Subscription.objects.get()
        status, _ = post(sub.callback_url(), body, {"Content-Type": "application/rss+xml"})
        self.assertEqual(status, 202)
        self.assertFalse(Mention.objects.exists())

    def test_it_refuses_a_push_larger_than_the_fetch_limit(self):
        self.subscribe()
        body = feed(self.hub.url, self.topic, [("new-1", COMPLAINT + " x" * 2000)])
        with override_settings(FETCH_MAX_BYTES=2000):
            self.assertEqual(self.hub.publish(self.topic, body), [413])
        self.assertFalse(Mention.objects.exists())

    def test_it_polls_a_pushed_source_rarely_but_still_polls_it(self):
        self.subscribe()
        caps.refresh()
        poll_now([self.source])
        self.source.refresh_from_db()
        self.assertEqual(self.source.interval, 21600)
        caps.refresh()  # the alert cap holds polled sources only
        self.source.refresh_from_db()
        self.assertEqual(self.source.interval, 21600)
        self.assertLess(self.source.next_fetch_at, timezone.now() + timedelta(hours=7))

    def test_it_renews_the_lease_before_it_ends(self):
        sub = self.subscribe()
        first_expiry = sub.expires_at
        later = sub.expires_at - timedelta(hours=12)
        self.assertEqual(service.maintain(now=later), {"subscribe": 1, "unsubscribe": 0})
        self.assertEqual(self.hub.requests[-1]["hub.mode"], "subscribe")
        self.assertEqual(self.hub.requests[-1]["hub.callback"], sub.callback_url())
        self.assertEqual(Subscription.objects.get().state, State.ACTIVE)  # still pushed
        self.assertEqual(self.hub.verify_pending(), [True])
        self.assertGreater(Subscription.objects.get().expires_at, first_expiry)

    def test_it_unsubscribes_when_nobody_follows_the_source_any_more(self):
        self.subscribe()
        self.follow.delete()
        self.assertEqual(service.maintain(), {"subscribe": 0, "unsubscribe": 1})
        self.assertEqual(self.hub.requests[-1]["hub.mode"], "unsubscribe")
        self.assertEqual(self.hub.verify_pending(), [True])
        self.assertEqual(self.hub.subscribers, {})
        self.assertEqual(Subscription.objects.get().state, State.ENDED)
        self.source.refresh_from_db()
        self.assertIsNone(self.source.pushed_until)
        self.assertEqual(service.maintain(), {"subscribe": 0, "unsubscribe": 0})

    def test_it_refuses_a_hub_on_a_private_address(self):
        poll_now([self.source])
        with override_settings(FETCH_ALLOW_PRIVATE_ADDRESSES=False):
            self.assertEqual(service.maintain(), {"subscribe": 0, "unsubscribe": 0})
        self.assertEqual(self.hub.requests, [])
        sub = Subscription.objects.get()
        self.assertEqual(sub.state, State.FAILED)
        self.assertIn("private network", sub.last_error)
        self.source.refresh_from_db()
        self.assertIsNone(self.source.pushed_until)

    def test_it_stops_pushes_when_the_hub_denies_the_subscription(self):
        poll_now([self.source])
        service.maintain()
        sub = Subscription.objects.get()
        query = f"hub.mode=denied&hub.topic={self.topic}&hub.reason=no"
        self.assertEqual(get(f"{sub.callback_url()}?{query}")[0], 200)
        self.assertEqual(Subscription.objects.get().state, State.DENIED)

    def test_it_retries_a_failed_request_after_the_wait_not_every_minute(self):
        poll_now([self.source])
        self.hub.server.route("/hub", b"overloaded", status=503)
        self.assertEqual(service.maintain(), {"subscribe": 0, "unsubscribe": 0})
        sub = Subscription.objects.get()
        self.assertEqual(sub.state, State.FAILED)
        self.assertIn("503", sub.last_error)
        asked = len(self.hub.server.requests)
        service.maintain(now=timezone.now() + timedelta(minutes=30))
        self.assertEqual(len(self.hub.server.requests), asked)  # not hammered
        self.hub.server.route("/hub", handler=self.hub._request)
        later = timezone.now() + timedelta(hours=1, minutes=1)
        self.assertEqual(service.maintain(now=later), {"subscribe": 1, "unsubscribe": 0})
        self.assertEqual(self.hub.verify_pending(), [True])
        self.assertEqual(Subscription.objects.get().state, State.ACTIVE)
