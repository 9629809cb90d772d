"""The management commands are an interface scripts rely on: names and arguments."""

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.core.management import (
    CommandError,
    call_command,
    get_commands,
    load_command_class,
)
from django.test import TestCase
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow
from tests.httpserver import LocalServer

ROOT = Path(__file__).resolve().parents[1]

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Avis Lyon</title><link>https://avis.example/</link>
<item><title>Super accueil chez Boulangerie Dupont</title><link>https://avis.example/1</link>
<guid>1</guid><pubDate>Thu, 26 Nov 2026 10:00:00 +0100</pubDate>
<description>Un accueil chaleureux et des croissants excellents, bravo !</description></item>
<item><title>Boulangerie Dupont, plus jamais</title><link>https://avis.example/2</link>
<guid>2</guid><pubDate>Thu, 26 Nov 2026 11:00:00 +0100</pubDate>
<description>Pain rassis et vendeuse désagréable, très déçu.</description></item>
</channel></rss>""".encode()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class CommandsTestCase(TestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.server.route("/feed.xml", FEED, headers={"Content-Type": "application/rss+xml"})

    def test_it_runs_the_whole_loop_from_the_command_line(self):
        out = run("createorg", "dupont", "--name", "Boulangerie Dupont", "--owner", "o@x.fr")
        self.assertIn("created organisation dupont", out)
        org = Organisation.objects.get(slug="dupont")
        membership = Membership.objects.get(organisation=org)
        self.assertEqual((membership.user.email, membership.role), ("o@x.fr", Role.OWNER))

        out = run("track", "dupont", "Boulangerie Dupont", "--alias", "Dupont", "--exclude", "DD")
        self.assertIn("tracking", out)
        tracked = TrackedName.objects.get(organisation=org)
        self.assertEqual((tracked.aliases, tracked.exclude_terms), (["Dupont"], ["DD"]))

        out = run("addsource", "dupont", self.server.url("/feed.xml"))
        self.assertIn("now following", out)
        source = Source.objects.get()

        out = run("poll", "--all")
        self.assertIn("2 new items, 2 new mentions, 0 failed", out)
        out = run("poll", "--source", str(source.pk))
        self.assertIn("0 new items, 0 new mentions, 0 failed", out)

        rows = [json.loads(line) for line in run("exportmentions", "dupont").splitlines()]
        self.assertEqual(len(rows), 2)
        by_url = {row["url"]: row for row in rows}
        self.assertEqual(by_url["https://avis.example/1"]["sentiment"], "positive")
        self.assertEqual(by_url["https://avis.example/2"]["sentiment"], "negative")
        for row in rows:
            self.assertEqual(row["tracked_name"], "Boulangerie Dupont")
            self.assertEqual(row["language"], "fr")
            self.assertTrue(row["published"].startswith("2026-11-26T"))
            self.assertIn("title", row)
            self.assertIsInstance(row["score"], float)

    def test_it_reports_failed_sources_and_why(self):
        run("createorg", "dupont", "--name", "Dupont", "--owner", "o@x.fr")
        run("addsource", "dupont", self.server.url("/missing.xml"))
        out = run("poll", "--all")
        self.assertIn("FAILED", out)
        self.assertIn("404", out)
        self.assertIn("1 failed", out)

    def test_it_updates_instead_of_duplicating(self):
        run("createorg", "dupont", "--name", "Dupont", "--owner", "o@x.fr")
        run("createorg", "dupont", "--name", "Dupont SARL", "--owner", "o@x.fr")
        self.assertEqual(Organisation.objects.get().name, "Dupont SARL")
        run("track", "dupont", "Dupont", "--kind", "person")
        run("track", "dupont", "Dupont", "--kind", "brand")
        self.assertEqual(TrackedName.objects.get().kind, "brand")
        run("addsource", "dupont", self.server.url("/feed.xml?utm_source=x"))
        out = run("addsource", "dupont", self.server.url("/feed.xml"))
        self.assertIn("already following", out)
        self.assertEqual((Source.objects.count(), Follow.objects.count()), (1, 1))

    def test_it_rejects_bad_arguments(self):
        with self.assertRaises(CommandError):
            run("track", "nope", "X")
        with self.assertRaises(CommandError):
            run("createorg", "Bad Slug", "--name", "x", "--owner", "o@x.fr")
        run("createorg", "ok", "--name", "x", "--owner", "o@x.fr")
        with self.assertRaises(CommandError):
            run("addsource", "ok", "file:///etc/passwd")
        with self.assertRaises(CommandError):
            run("poll", "--source", "999999")

    def test_it_loads_the_demo_idempotently(self):
        out = run("demo")
        self.assertIn("demo organisation ready", out)
        org = Organisation.objects.get(slug="demo")
        mentions = Mention.objects.filter(organisation=org).count()
        self.assertGreater(mentions, 100)
        langs = set(Mention.objects.filter(organisation=org).values_list("language", flat=True))
        self.assertLessEqual({"fr", "en"}, langs)
        tones = set(Mention.objects.filter(organisation=org).values_list("sentiment", flat=True))
        self.assertLessEqual({"positive", "negative"}, tones)
        # History: over the last 90 days, and none of it alerts.
        oldest = Mention.objects.filter(organisation=org).order_by("published").first()
        self.assertGreater((org.created - oldest.published).days, 60)
        self.assertFalse(Mention.objects.filter(organisation=org, alertable=True).exists())
        first_run = timezone.now()
        urls = set(Item.objects.values_list("url", flat=True))
        run("demo")
        # Nothing twice; only what the demo published since the first run is new
        # (its alert feed publishes every 20 minutes).
        again = Item.objects.exclude(url__in=urls)
        self.assertLessEqual(again.count(), 2)
        self.assertFalse(again.filter(published__lt=first_run - timedelta(minutes=1)).exists())
        self.assertEqual(Item.objects.count(), len(urls) + again.count())


def test_it_documents_every_command_with_help():
    for name in ("createorg", "track", "addsource", "poll", "exportmentions", "demo", "bench"):
        command = load_command_class(get_commands()[name], name)
        text = command.create_parser("manage.py", name).format_help()
        assert "usage: manage.py " + name in text
        assert command.help.split()[0] in text


def test_it_answers_help_from_the_shell():
    proc = subprocess.run(
        [sys.executable, "manage.py", "poll", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "--all" in proc.stdout and "--source" in proc.stdout


class AddSourceOptionsTestCase(TestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.server.route("/feed.xml", FEED, headers={"Content-Type": "application/rss+xml"})
        page = (
            '<html><head><link rel="alternate" type="application/rss+xml" title="Actus"'
            ' href="/feed.xml"></head><body>Blog</body></html>'
        )
        self.server.route("/", page.encode())
        run("createorg", "dupont", "--name", "Dupont", "--owner", "o@x.fr")
        run("track", "dupont", "Boulangerie Dupont", "--alias", "Dupont Boulangerie")

    def test_it_lists_the_feeds_of_a_website(self):
        out = run("addsource", "dupont", self.server.url("/"), "--discover")
        self.assertIn(self.server.url("/feed.xml"), out)
        self.assertIn("Avis Lyon (2 items)", out)
        self.assertFalse(Source.objects.exists())

    def test_it_builds_a_search_feed_from_a_tracked_name(self):
        out = run("addsource", "dupont", "--preset", "google_news", "--name", "Boulangerie Dupont")
        self.assertIn("now following", out)
        source = Source.objects.get()
        self.assertEqual(source.kind, "search")
        self.assertTrue(source.url.startswith("https://news.google.com/rss/search?"))
        self.assertIn("gl=FR", source.url)
        self.assertIn("Dupont+Boulangerie", source.url)
        with self.assertRaises(CommandError):
            run("addsource", "dupont", "--preset", "nope", "--name", "Boulangerie Dupont")

    def test_it_stores_selectors_and_follow_links(self):
        run(
            "addsource",
            "dupont",
            self.server.url("/"),
            "--kind",
            "html",
            "--selector",
            "item=div.card",
            "--selector",
            "link=a",
            "--follow-links",
        )
        config = Source.objects.get().config
        self.assertEqual(config, {"item": "div.card", "link": "a", "follow_links": True})
