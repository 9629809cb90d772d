"""The whole loop: a real HTTP server serves a feed, a real Celery worker (and beat)
polls it through the configured broker (Redis in CI), the mention lands in the
database and on the right organisation's dashboard, and only there."""

import threading
import time

import pytest
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, PollLog, Source
from monitoring.pipeline import tasks
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.follow import follow_source
from reputation.sources.models import Follow
from tests.base import make_user
from tests.httpserver import LocalServer
from tests.worker import CeleryProcess, purge_broker, wait_for

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le Journal de Villeurbanne</title>
<link>https://journal.example/</link>
<item><title>Boulangerie Dupont : très déçu par l'accueil</title>
<link>https://journal.example/a/1?utm_source=rss</link><guid>a-1</guid>
<pubDate>Fri, 27 Nov 2026 08:00:00 +0100</pubDate>
<description>Accueil désagréable et pain rassis chez Boulangerie Dupont. Je n'y retournerai
pas.</description></item>
<item><title>Travaux rue de la République</title>
<link>https://journal.example/a/2</link><guid>a-2</guid>
<pubDate>Fri, 27 Nov 2026 09:00:00 +0100</pubDate>
<description>La circulation sera perturbée toute la semaine.</description></item>
</channel></rss>""".encode()

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


@pytest.mark.slow
class EndToEndTestCase(TransactionTestCase):
    def setUp(self):
        purge_broker()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)

        self.alice = make_user("alice@example.org")
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        Membership.objects.create(user=self.alice, organisation=self.org, role=Role.OWNER)
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")

        # Another organisation tracks the same name but does not follow the feed.
        self.charlie = make_user("charlie@example.org")
        self.other = Organisation.objects.create(slug="rival", name="Rival")
        Membership.objects.create(user=self.charlie, organisation=self.other, role=Role.OWNER)
        TrackedName.objects.create(organisation=self.other, label="Boulangerie Dupont")

    def start(self, kind, **env):
        proc = CeleryProcess(kind, env=env).start()
        self.addCleanup(proc.stop)
        return proc.wait_ready()

    def test_it_polls_through_a_real_worker_and_shows_the_mention(self):
        self.server.route("/feed.xml", FEED, headers=RSS)
        source, _ = follow_source(self.org, self.server.url("/feed.xml"))

        worker = self.start("worker")
        # A real beat, ticking every second instead of every minute.
        self.start("beat", POLL_DISPATCH_EVERY="1")

        mention = wait_for(
            lambda: Mention.objects.filter(organisation=self.org).first(),
            timeout=90,
            message="the worker to create the mention\n" + worker.output()[-3000:],
        )
        self.assertEqual(mention.tracked_name.label, "Boulangerie Dupont")
        self.assertEqual(mention.item.url, "https://journal.example/a/1")
        self.assertEqual(mention.source, source)
        self.assertEqual(mention.language, "fr")
        self.assertEqual(mention.sentiment, "negative")
        self.assertEqual(Item.objects.count(), 2)
        self.assertFalse(Mention.objects.filter(organisation=self.other).exists())

        self.client.force_login(self.alice)
        page = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertContains(page, "très déçu par l&#x27;accueil")

        self.client.force_login(self.charlie)
        page = self.client.get(reverse("dashboard", args=[self.other.code]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "déçu")
        # Nor can the outsider open the first organisation's dashboard.
        page = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertEqual(page.status_code, 404)

    def test_it_repolls_an_unchanged_feed_without_duplicates(self):
        # No ETag/Last-Modified: the feed is downloaded and parsed again each time.
        self.server.route("/feed.xml", FEED, headers=RSS)
        source, _ = follow_source(self.org, self.server.url("/feed.xml"))
        self.start("worker")

        for round_ in range(1, 4):
            Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now())
            tasks.dispatch_due_sources()
            wait_for(
                lambda n=round_: PollLog.objects.filter(source=source).count() >= n,
                timeout=60,
                message=f"poll {round_}",
            )
        self.assertEqual(PollLog.objects.filter(source=source, error="").count(), 3)
        self.assertEqual(Item.objects.count(), 2)
        self.assertEqual(Mention.objects.count(), 1)

    @override_settings(POLL_LEASE_SECONDS=6)
    def test_it_finishes_the_poll_of_a_worker_killed_mid_poll(self):
        release = threading.Event()
        requests = []

        def hanging_feed(req):
            requests.append(time.monotonic())
            if len(requests) == 1:
                release.wait(30)  # the first poll hangs until its worker is dead
            return 200, RSS, FEED

        self.server.route("/feed.xml", handler=hanging_feed)
        source, _ = follow_source(self.org, self.server.url("/feed.xml"))

        env = {"CELERY_VISIBILITY_TIMEOUT": "3", "POLL_LEASE_SECONDS": "6"}
        first = self.start("worker", **env)

        def fetched():
            tasks.dispatch_due_sources()  # claims again only once a lease has expired
            return requests

        wait_for(fetched, timeout=60, interval=1, message="the first worker to fetch the feed")
        first.kill()
        release.set()
        self.assertFalse(Mention.objects.exists())

        self.start("worker", **env)

        # Once the lease has expired the source is due again, and with Redis the
        # unacknowledged message comes back too: either way it is polled once more.
        def done():
            tasks.dispatch_due_sources()
            return Source.objects.get(pk=source.pk).last_success_at

        wait_for(done, timeout=90, interval=1, message="the poll to be finished")
        time.sleep(2)  # let a late redelivery run, if any: it must change nothing
        self.assertEqual(Item.objects.count(), 2)
        self.assertEqual(Mention.objects.count(), 1)
        self.assertEqual(Follow.objects.count(), 1)
        self.assertGreaterEqual(len(requests), 2)
