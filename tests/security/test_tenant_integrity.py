"""What one organisation can do to another through shared sources and shared items
(issue 9, points 1-3): plant words in another's items, rewrite its source settings,
read its settings and history."""

from datetime import timedelta
from email.utils import format_datetime

from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, PollLog, Sighting, Source
from monitoring.pipeline import poll
from reputation.mentions.finding.matchers import query_for
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.names.views import run_query_test
from reputation.sources.follow import follow_source
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.httpserver import LocalServer
from tests.monitoring.test_poll import OLD, RSS, rss

REAL = (
    "La Boulangerie Dupont de Villeurbanne a remporté le concours du meilleur croissant "
    "du Rhône, devant quarante artisans. Le jury a salué un feuilletage remarquable."
)
PLANTED = (
    "Scandale : la Boulangerie Dupont empoisonne ses clients, pain moisi, hygiène "
    "déplorable, fuyez cette arnaque, une honte absolue pour tout le quartier."
)


class TenantIntegrityTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        for org in (self.org, self.other_org):
            TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")

    def feed(self, path, body):
        self.server.route(path, body, headers=RSS)
        return self.server.url(path)

    def test_it_never_shows_a_planted_copy_to_the_real_articles_readers(self):
        article = "https://presse.example/dupont-concours"
        # B's feed carries A's article address (with a tracking parameter) first,
        # under a defamatory title and text.
        planted = self.feed(
            "/b.xml", rss(("b1", article + "?utm_source=b", "Dupont : arnaque", PLANTED, OLD))
        )
        theirs, _ = follow_source(self.other_org, planted)
        poll.poll_now([theirs])
        real = self.feed("/a.xml", rss(("a1", article, "Dupont primé au concours", REAL, OLD)))
        mine, _ = follow_source(self.org, real)
        poll.poll_now([mine])

        self.assertEqual(Item.objects.count(), 1)  # still one story, deduplicated
        mention = Mention.objects.get(organisation=self.org)
        self.assertEqual(mention.title, "Dupont primé au concours")
        self.assertIn("concours du meilleur croissant", mention.snippet)
        self.assertNotIn("arnaque", mention.snippet + mention.title)
        self.assertNotEqual(mention.sentiment, "negative")
        # B sees its own words, never A's.
        theirs_mention = Mention.objects.get(organisation=self.other_org)
        self.assertNotIn("croissant", theirs_mention.snippet)

    def test_it_never_lets_a_query_test_read_another_sources_copy(self):
        article = "https://presse.example/dupont"
        real = self.feed("/a.xml", rss(("a1", article, "Dupont primé", REAL, OLD)))
        mine, _ = follow_source(self.org, real)
        poll.poll_now([mine])
        # B's feed carries the same address with no words of its own.
        empty = self.feed("/b.xml", rss(("b1", article, "Boulangerie Dupont", "", OLD)))
        theirs, _ = follow_source(self.other_org, empty)
        poll.poll_now([theirs])
        tracked = TrackedName.objects.get(organisation=self.other_org)
        result = run_query_test(self.other_org, query_for(tracked))
        self.assertEqual(result.matched, 1)
        self.assertNotIn("croissant", result.matches[0].snippet)

    def test_it_keeps_each_organisations_selectors_to_itself(self):
        url = self.server.url("/avis")
        first, _ = follow_source(self.org, url, "forum")  # automatic extraction
        second, _ = follow_source(self.other_org, url, "forum", {"item": "div.post"})
        self.assertNotEqual(first.pk, second.pk)
        first.refresh_from_db()
        self.assertEqual(first.config, {})
        # The same recipe is one source, polled once.
        third, _ = follow_source(self.viewer_org(), url, "forum", {"item": "div.post"})
        self.assertEqual(third.pk, second.pk)

    def viewer_org(self):
        from reputation.orgs.models import Organisation

        return Organisation.objects.create(slug="third", name="Third")

    def test_it_shows_each_organisation_its_own_settings_and_history(self):
        tracked = TrackedName.objects.get(organisation=self.org)
        url = "https://news.google.com/rss/search?q=%22Boulangerie+Dupont%22&hl=fr&gl=FR&ceid=FR:fr"
        source, _ = follow_source(self.org, url, "search", preset="google_news", tracked=tracked)
        an_hour_ago = timezone.now() - timedelta(hours=1)
        Follow.objects.filter(organisation=self.org).update(created=an_hour_ago - timedelta(1))
        PollLog.record(source, started=an_hour_ago, error="old failure seen by the first only")
        follow_source(self.other_org, url, "search", preset="google_news")
        self.login(self.charlie)
        for name in ("source-detail", "sources"):
            args = [self.other_org.code, source.code] if name == "source-detail" else []
            r = self.client.get(reverse(name, args=args or [self.other_org.code]))
            self.assertEqual(r.status_code, 200)
            page = r.content.decode()
            self.assertNotIn(str(tracked.code), page)
            self.assertNotIn("old failure", page)
        self.login(self.alice)
        r = self.client.get(reverse("source-detail", args=[self.org.code, source.code]))
        self.assertContains(r, "old failure")

    def test_it_keeps_sightings_words_only_when_they_differ(self):
        article = "https://presse.example/a"
        one = self.feed("/1.xml", rss(("1", article, "Dupont primé", REAL, OLD)))
        two = self.feed("/2.xml", rss(("2", article, "Dupont primé", REAL, OLD)))
        s1, _ = follow_source(self.org, one)
        s2, _ = follow_source(self.other_org, two)
        poll.poll_now([s1, s2])
        self.assertEqual(Item.objects.count(), 1)
        self.assertFalse(Sighting.objects.filter(own_content=True).exists())
        self.assertEqual(Source.objects.count(), 2)

    def test_it_keeps_each_sources_date_even_when_the_words_are_stored_once(self):
        article = "https://presse.example/a"
        recent = timezone.now() - timedelta(minutes=5)
        planted = self.feed(
            "/b.xml", rss(("b", article, "Dupont primé", REAL, "Mon, 01 Jan 2001 10:00:00 +0100"))
        )
        theirs, _ = follow_source(self.other_org, planted)
        poll.poll_now([theirs])
        real = self.feed(
            "/a.xml", rss(("a", article, "Dupont primé", REAL, format_datetime(recent)))
        )
        mine, _ = follow_source(self.org, real)
        poll.poll_now([mine])
        # The same words: stored once, on the item; each sighting keeps its own date.
        self.assertEqual(Item.objects.count(), 1)
        self.assertFalse(Sighting.objects.filter(own_content=True).exists())
        mention = Mention.objects.get(organisation=self.org)
        self.assertEqual(mention.published.replace(microsecond=0), recent.replace(microsecond=0))
        self.assertEqual(mention.url, article)
        # The other organisation's source said 2001: its sighting keeps that date, and a
        # mention that old is past that organisation's retention, so none is recorded.
        self.assertEqual(Sighting.objects.get(source=theirs).published.year, 2001)
        self.assertFalse(Mention.objects.filter(organisation=self.other_org).exists())
