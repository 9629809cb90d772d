"""The parse stage inside the real poll pipeline: what it extracts is what gets stored."""

from django.test import TestCase
from django.utils import translation

from monitoring.models import Item, PollLog, Sighting, SourceKind
from monitoring.pipeline import poll
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source
from tests.httpserver import LocalServer
from tests.shared import require

HTML = {"Content-Type": "text/html; charset=utf-8"}

REVIEWS = """<!DOCTYPE html><html lang="fr"><head><title>Avis</title></head><body>
<div class="avis"><h3><a href="/avis/1">Parfait</a></h3><span class="qui">Léa</span>
  <time datetime="2026-10-02T09:30:00+02:00">2 octobre</time>
  <span class="note">5/5</span><p>Accueil charmant, pain excellent.</p></div>
<div class="avis"><h3><a href="/avis/2">Décevant</a></h3><span class="qui">Marc</span>
  <time datetime="2026-10-01T18:00:00+02:00">1er octobre</time>
  <span class="note">1/5</span><p>Attente interminable et baguette brûlée.</p></div>
</body></html>"""


class ParseInPollTestCase(TestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")

    def test_it_stores_reviews_read_with_selectors_with_their_ratings(self):
        self.server.route("/avis", REVIEWS.encode(), headers=HTML)
        config = {"item": ".avis", "author": ".qui", "date": "time", "body": "p", "rating": ".note"}
        source, _ = follow_source(self.org, self.server.url("/avis"), SourceKind.HTML, config)
        [report] = poll.poll_now([source])
        self.assertEqual((report.error, report.items_new), ("", 2))
        # What the page said is kept on its sighting (Item holds only shared words).
        items = {s.shown_title: s for s in Sighting.objects.select_related("item")}
        self.assertEqual(items["Parfait"].rating, 1.0)
        self.assertEqual(items["Décevant"].rating, 0.2)
        self.assertEqual(items["Décevant"].author, "Marc")
        self.assertEqual(items["Décevant"].url, self.server.url("/avis/2"))
        self.assertTrue(items["Parfait"].published_known)
        self.assertEqual(items["Parfait"].published.isoformat(), "2026-10-02T07:30:00+00:00")

    def test_it_records_a_readable_error_when_selectors_are_missing(self):
        self.server.route("/liste", b"<html><body><ul><li>a</li></ul></body></html>", headers=HTML)
        source, _ = follow_source(self.org, self.server.url("/liste"), SourceKind.HTML, {})
        with translation.override("en"):
            [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "needs_selectors")
        source.refresh_from_db()
        self.assertEqual(source.last_error_code, "needs_selectors")
        self.assertIn("CSS selectors", source.last_error)
        self.assertEqual(PollLog.objects.get(source=source).error_code, "needs_selectors")

    def test_it_stores_google_alerts_items_under_their_real_addresses(self):
        body = (
            require("feeds") / "feedjira-sample-feeds/spec/sample_feeds/google_alerts_atom.xml"
        ).read_bytes()
        self.server.route("/alerts", body, headers={"Content-Type": "application/atom+xml"})
        source, _ = follow_source(self.org, self.server.url("/alerts"), SourceKind.SEARCH)
        [report] = poll.poll_now([source])
        self.assertEqual(report.items_new, 20)
        self.assertFalse(Item.objects.filter(url__contains="google.com/url").exists())
        self.assertFalse(Item.objects.filter(title__contains="<b>").exists())
        source.refresh_from_db()
        self.assertEqual(source.title, "Google Alert - Slack")

    def test_it_refuses_an_entity_bomb_without_storing_anything(self):
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<rss version='2.0'><channel><item><title>&b;</title></item></channel></rss>"
        )
        self.server.route("/bomb", bomb, headers={"Content-Type": "application/rss+xml"})
        source, _ = follow_source(self.org, self.server.url("/bomb"))
        [report] = poll.poll_now([source])
        self.assertEqual(report.error_code, "xml_entities")
        self.assertEqual(Item.objects.count(), 0)
