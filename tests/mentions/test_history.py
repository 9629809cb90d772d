"""History is never lost: a name tracked late finds the items already collected, and
an organisation following a source another one already polls gets its mentions;
such mentions fill the history and never alert."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from monitoring.pipeline import poll
from reputation.mentions import history
from reputation.mentions.models import HistoryScan, Mention
from reputation.names.models import TrackedName
from reputation.sources.follow import follow_source
from tests.base import BaseTestCase
from tests.httpserver import LocalServer
from tests.monitoring.test_poll import OLD, RSS, STORY, rss


class HistoryTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        body = rss(("g1", "https://news.example/1", "Concours", STORY, OLD))
        self.server.route("/f.xml", body, headers=RSS)
        self.url = self.server.url("/f.xml")

    def test_it_finds_the_collected_items_of_a_name_tracked_late(self):
        source, _ = follow_source(self.org, self.url)
        poll.poll_now([source])
        self.assertFalse(Mention.objects.exists())
        tracked = TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        scan = history.start(self.org, tracked=tracked, run_now=True)
        self.assertEqual((scan.state, scan.found, scan.percent), ("done", 1, 100))
        mention = Mention.objects.get()
        self.assertFalse(mention.alertable)
        self.assertEqual(mention.title, "Concours")
        # Twice is harmless.
        self.assertEqual(history.start(self.org, tracked=tracked, run_now=True).found, 0)

    def test_it_gives_a_late_follower_the_mentions_in_a_shared_source(self):
        source, _ = follow_source(self.other_org, self.url)
        poll.poll_now([source])
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        out = StringIO()
        call_command("addsource", self.org.slug, self.url, stdout=out)
        self.assertIn("1 mentions found", out.getvalue())
        self.assertEqual(Mention.objects.get(organisation=self.org).alertable, False)

    def test_it_searches_from_the_track_command(self):
        source, _ = follow_source(self.org, self.url)
        poll.poll_now([source])
        out = StringIO()
        call_command("track", self.org.slug, "Boulangerie Dupont", stdout=out)
        self.assertIn("1 mentions found", out.getvalue())

    @override_settings(CELERY_TASK_ALWAYS_EAGER=True)
    def test_it_searches_in_the_background_when_a_name_is_saved_and_shows_progress(self):
        from reputation.celery import app

        app.conf.task_always_eager = True
        self.addCleanup(setattr, app.conf, "task_always_eager", False)
        source, _ = follow_source(self.org, self.url)
        poll.poll_now([source])
        self.login(self.bob)
        data = {"label": "Boulangerie Dupont", "kind": "brand", "action": "save"}
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(reverse("tracked-add", args=[self.org.code]), data)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(HistoryScan.objects.get().state, "done")
        self.assertEqual(Mention.objects.count(), 1)

    def test_it_shows_a_running_search_on_the_names_page(self):
        HistoryScan.objects.create(organisation=self.org, state="running", total=10, done=4)
        HistoryScan.objects.create(organisation=self.other_org, state="running", total=10)
        self.login(self.viewer)
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertContains(r, "40 %")
        self.assertContains(r, "<progress", count=1)  # not the other organisation's
