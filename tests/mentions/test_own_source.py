"""A mention is built only from what the organisation's own source said (issue 16,
cause 1): another organisation's source showing the same item first, with a planted
rating, date, address or title, changes nothing of it; the same words months later
are a new item; an undated backlog is not today's news.

Every source is polled for real from a local HTTP server, and alerts go to a local
SMTP server.
"""

from datetime import timedelta
from email.utils import format_datetime

from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Sighting
from monitoring.pipeline import poll
from reputation.alerts import digests, outbox, scan
from reputation.dashboard.models import DailyCount
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.sources.follow import follow_source
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.httpserver import LocalServer
from tests.monitoring.test_poll import RSS, rss
from tests.smtpserver import LocalSMTP

HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE = "https://presse.example/dupont-concours"
GLOWING = (
    "La Boulangerie Dupont de Villeurbanne a remporté le concours du meilleur croissant "
    "du Rhône, devant quarante artisans. Le jury a salué un feuilletage remarquable."
)
BAD = (
    "Déception à la Boulangerie Dupont : pain rassis, accueil glacial et attente "
    "interminable. Une très mauvaise expérience, je ne reviendrai pas."
)


def rfc822(when) -> str:
    return format_datetime(when)


def reviews_page(*reviews) -> bytes:
    """A review page: (link, title, stars or None, text) per review, no dates."""
    rows = "".join(
        f'<div class="avis"><h3><a href="{link}">{title}</a></h3>'
        + (f'<span class="note">{stars}/5</span>' if stars is not None else "")
        + f"<p>{text}</p></div>"
        for link, title, stars, text in reviews
    )
    return f'<!DOCTYPE html><html lang="fr"><body>{rows}</body></html>'.encode()


class OwnSourceTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        ctx = self.smtp.overridden()
        ctx.__enter__()
        self.addCleanup(ctx.__exit__, None, None, None)
        for org in (self.org, self.other_org):
            TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
        self.now = timezone.now()

    def feed(self, path, *items):
        self.server.route(path, rss(*items), headers=RSS)
        return self.server.url(path)

    def follow(self, org, url, kind="feed", config=None):
        source, _ = follow_source(org, url, kind, config)
        # Followed yesterday: what its source publishes from now on is news.
        Follow.objects.filter(organisation=org, source=source).update(
            created=self.now - timedelta(days=1)
        )
        return source

    def alerts_to_alice(self) -> list:
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        outbox.send_due(now=at)
        return self.smtp.to("alice@example.org")

    def mine(self) -> Mention:
        return Mention.objects.get(organisation=self.org)

    def test_it_never_takes_a_planted_rating_as_the_tone(self):
        # The attacker's review page lists our article's address with one star.
        self.server.route(
            "/avis",
            reviews_page((ARTICLE, "Boulangerie Dupont", 1, "Nul. Boulangerie Dupont.")),
            headers=HTML,
        )
        theirs = self.follow(
            self.other_org, self.server.url("/avis"), "html", {"item": ".avis", "rating": ".note"}
        )
        poll.poll_now([theirs])

        url = self.feed("/a.xml", ("a1", ARTICLE, "Dupont primé", GLOWING, rfc822(self.now)))
        poll.poll_now([self.follow(self.org, url)])
        self.assertEqual(Item.objects.count(), 1)  # one story, deduplicated
        mention = self.mine()
        self.assertNotEqual(mention.sentiment, "negative")
        self.assertGreaterEqual(mention.score, 0)
        self.assertEqual(self.alerts_to_alice(), [])
        # The stars stay with the source that gave them.
        self.assertIsNone(mention.rating)
        self.assertEqual(Sighting.objects.get(source=theirs).rating, 0.2)

    def test_it_keeps_its_sources_date_whatever_another_source_said(self):
        planted = "Mon, 01 Jan 2001 10:00:00 +0100"
        theirs = self.follow(
            self.other_org, self.feed("/b.xml", ("b1", ARTICLE, "Dupont", BAD, planted))
        )
        poll.poll_now([theirs])
        when = self.now - timedelta(minutes=5)
        url = self.feed("/a.xml", ("a1", ARTICLE, "Dupont déçoit", BAD, rfc822(when)))
        poll.poll_now([self.follow(self.org, url)])
        mention = self.mine()
        self.assertEqual(mention.published.replace(microsecond=0), when.replace(microsecond=0))
        self.assertTrue(mention.published_known)
        self.assertTrue(mention.alertable)
        [message] = self.alerts_to_alice()
        self.assertIn(ARTICLE, self.smtp.text(message))

    def test_it_links_to_its_own_sources_address(self):
        copy = "https://attaque.example/copie-dupont"
        theirs = self.follow(
            self.other_org,
            self.feed("/b.xml", ("b1", copy, "Dupont primé", GLOWING, rfc822(self.now))),
        )
        poll.poll_now([theirs])
        url = self.feed("/a.xml", ("a1", ARTICLE, "Dupont primé", GLOWING, rfc822(self.now)))
        poll.poll_now([self.follow(self.org, url)])
        self.assertEqual(Item.objects.count(), 1)  # syndication: one item
        mention = self.mine()
        self.assertEqual(mention.to_dict()["url"], ARTICLE)
        self.login(self.alice)
        page = self.client.get(reverse("mention-detail", args=[self.org.code, mention.code]))
        self.assertContains(page, ARTICLE)
        self.assertNotContains(page, copy)
        csv = b"".join(
            self.client.get(reverse("export-csv", args=[self.org.code])).streaming_content
        )
        self.assertIn(ARTICLE, csv.decode("utf-8-sig"))
        self.assertNotIn(copy, csv.decode("utf-8-sig"))

    def test_it_never_shows_a_planted_title_when_its_copy_has_none(self):
        planted = "Boulangerie Dupont ARNAQUE PLANTEE"
        theirs = self.follow(
            self.other_org, self.feed("/b.xml", ("b1", ARTICLE, planted, BAD, rfc822(self.now)))
        )
        poll.poll_now([theirs])
        url = self.feed("/a.xml", ("a1", ARTICLE, "", BAD, rfc822(self.now)))
        poll.poll_now([self.follow(self.org, url)])
        mention = self.mine()
        self.assertEqual(mention.title, "")
        self.login(self.alice)
        csv = b"".join(
            self.client.get(reverse("export-csv", args=[self.org.code])).streaming_content
        )
        self.assertIn("pain rassis", csv.decode("utf-8-sig"))
        self.assertNotIn("PLANTEE", csv.decode("utf-8-sig"))
        [alert] = self.alerts_to_alice()
        self.assertIn("pain rassis", self.smtp.text(alert))
        self.assertNotIn("PLANTEE", self.smtp.text(alert) + self.smtp.html(alert))
        # The weekly digest of the week that holds the mention.
        local = timezone.localtime(self.now)
        monday = (local + timedelta(days=7 - local.weekday())).replace(hour=9, minute=0)
        self.assertGreaterEqual(digests.create_due(now=monday), 1)
        outbox.send_due(now=monday)
        sent = self.smtp.to("alice@example.org")
        self.assertEqual(len(sent), 2)
        self.assertIn("pain rassis", self.smtp.text(sent[1]))
        self.assertNotIn("PLANTEE", self.smtp.text(sent[1]) + self.smtp.html(sent[1]))

    def test_it_takes_the_same_words_months_later_as_a_new_post(self):
        old = self.now - timedelta(days=120)
        url = self.feed("/a.xml", ("a1", "https://presse.example/1", "Dupont", BAD, rfc822(old)))
        source = self.follow(self.org, url)
        poll.poll_now([source])
        self.assertFalse(self.mine().alertable)  # before the follow: history
        self.assertEqual(self.alerts_to_alice(), [])

        when = self.now - timedelta(minutes=5)
        self.feed("/a.xml", ("a2", "https://blog.example/2", "Dupont", BAD, rfc822(when)))
        [report] = poll.poll_now([source])
        self.assertEqual((report.items_new, report.mentions_new), (1, 1))
        self.assertEqual(Item.objects.count(), 2)
        new = Mention.objects.filter(organisation=self.org).order_by("-published").first()
        self.assertEqual(new.url, "https://blog.example/2")
        self.assertGreater(new.published, self.now - timedelta(hours=1))
        self.assertTrue(new.alertable)
        [message] = self.alerts_to_alice()
        self.assertIn("https://blog.example/2", self.smtp.text(message))

    def test_it_keeps_an_undated_backlog_out_of_todays_figures_and_alerts(self):
        page = self.server.url("/avis")
        backlog = [
            (page + "/1", "Avis de Léa", None, BAD),
            (page + "/2", "Avis de Marc", None, "Boulangerie Dupont : bon pain, accueil correct."),
        ]
        self.server.route("/avis", reviews_page(*backlog), headers=HTML)
        source = self.follow(self.org, page, "html", {"item": ".avis", "body": "p"})
        [report] = poll.poll_now([source])
        self.assertEqual(report.mentions_new, 2)
        self.assertFalse(DailyCount.objects.filter(organisation=self.org).exists())
        mentions = Mention.objects.filter(organisation=self.org)
        self.assertEqual({m.published_known for m in mentions}, {False})
        self.assertEqual({m.alertable for m in mentions}, {False})
        self.assertEqual(self.alerts_to_alice(), [])
        self.login(self.alice)
        inbox = self.client.get(reverse("inbox", args=[self.org.code]))
        self.assertContains(inbox, "date not given, day it was found", count=2)

        # A review that appears afterwards is news of the day, even undated.
        later = (page + "/3", "Avis de Jo", None, BAD.replace("Déception", "Colère"))
        self.server.route("/avis", reviews_page(later, *backlog), headers=HTML)
        [report] = poll.poll_now([source])
        self.assertEqual(report.mentions_new, 1)
        counted = sum(
            DailyCount.objects.filter(organisation=self.org).values_list("count", flat=True)
        )
        self.assertEqual(counted, 1)
        self.assertEqual(len(self.alerts_to_alice()), 1)
