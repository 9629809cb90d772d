"""A source that answers 500, hangs, then sends garbage, for a day (issue 22).

A real site on 127.0.0.1 misbehaves through a simulated day: 500s, then answers
that never come (read timeout) or come a byte at a time (total timeout), then
random bytes, truncated XML and an endless 50 MB body; three healthy sites on
another server are followed by the same organisation. Beat's dispatch and the poll
tasks run every five simulated minutes. Checked after every round: each due source
was polled in that round (the broken one never holds the others back, nor the
worker for longer than a timeout); the broken source is tried at least every
POLL_ERROR_MAX_DELAY and never paused; the first good poll after it recovers stores
what it published meanwhile, once; and the sources page says what is wrong in plain
words, in French and in English.
"""

import html
import math
import os
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.test import override_settings
from django.utils import translation

from monitoring.models import Item, PollLog, Source, SourceState
from monitoring.pipeline import poll
from monitoring.sentiment import score_text
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.sources import troubles
from reputation.sources.follow import follow_source
from tests.base import BaseTestCase
from tests.faults.clock import Clock
from tests.httpserver import LocalServer

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ROUND = timedelta(minutes=5)
# (hours from the start, what the site does from then on)
DAY = [
    (0, "500"),
    (5, "hang"),  # no answer at all
    (9, "trickle"),  # a byte now and then: never a read timeout, the total one
    (10, "binary"),
    (14, "truncated"),
    (19, "huge"),
    (24, "good"),
]
# What the sources page says in each phase, in English and in French.
SAID = {
    "500": (
        "The site has a problem on its side (error 500).",
        "Le site a un problème de son côté (erreur 500).",
    ),
    "hang": ("The site is not answering", "Le site ne répond pas"),
    "trickle": ("The site is not answering", "Le site ne répond pas"),
    "binary": ("damaged or unexpected content", "un contenu abîmé ou inattendu"),
    "truncated": ("cut off or damaged", "tronqué ou abîmé"),
    "huge": ("far more than a page or a feed", "bien plus qu'une page ou un flux"),
}


def rss(*items) -> bytes:
    rows = "".join(
        f"<item><title>{title}</title><link>https://site.example/{guid}</link>"
        f"<guid>{guid}</guid><pubDate>{date:%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description>La Boulangerie Dupont {title}.</description></item>"
        for guid, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site</title>'
        f"<link>https://site.example/</link>{rows}</channel></rss>"
    ).encode()


@override_settings(FETCH_READ_TIMEOUT=0.5, FETCH_CONNECT_TIMEOUT=1, FETCH_TOTAL_TIMEOUT=1.5)
class BrokenSiteForADayTests(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The language and tone models load once per worker process, at its first
        # mention: a start-up cost, not part of the rounds timed here.
        score_text("La Boulangerie Dupont déçoit, pain rassis.", "")

    def setUp(self):
        super().setUp()
        self.clock = Clock()
        self.enterContext(self.clock.running())
        self.start = self.clock.now()
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        self.mode = "good"
        self.before = [("a1", "ouvre", self.start - timedelta(days=2))]
        # Published while the site was broken: read once it is back.
        self.meanwhile = [
            ("b1", "fête ses dix ans", self.start + timedelta(hours=3)),
            ("b2", "recrute", self.start + timedelta(hours=20)),
        ]
        self.site = LocalServer()
        self.site.start()
        self.addCleanup(self.site.stop)
        self.hanging = threading.Event()
        self.addCleanup(self.hanging.set)  # first: frees the server's hanging threads
        self.site.route("/feed.xml", handler=self.answer)
        self.others = LocalServer()
        self.others.start()
        self.addCleanup(self.others.stop)
        self.broken, _ = follow_source(self.org, self.site.url("/feed.xml"))
        self.healthy = []
        for n in range(3):
            path = f"/ok{n}.xml"
            self.others.route(path, rss((f"ok{n}", "cuit", self.start)), headers=RSS)
            self.healthy.append(follow_source(self.org, self.others.url(path))[0])

    def answer(self, req):
        if self.mode == "500":
            return 500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>"
        if self.mode == "hang":
            self.hanging.wait(5)  # longer than the read timeout
            return 200, RSS, rss(*self.before)
        if self.mode == "trickle":
            return 200, RSS, self.trickle()
        if self.mode == "binary":
            return 200, RSS, os.urandom(4096)
        if self.mode == "truncated":
            return 200, RSS, rss(*self.before, *self.meanwhile)[:150]
        if self.mode == "huge":  # 50 MB, without a length, never read to the end
            return 200, RSS, (b"<rss>" + b"x" * 65536 for _ in range(800))
        shown = self.before if self.clock.now() < self.start + timedelta(hours=1) else []
        published = [i for i in self.meanwhile if i[2] <= self.clock.now()]
        return 200, RSS, rss(*shown, *published, *self.before)

    def trickle(self):
        yield b'<?xml version="1.0"?><rss version="2.0"><channel>'
        for _ in range(50):
            if self.hanging.wait(0.3):  # under the read timeout, each time
                return
            yield b" "

    def round(self) -> set[int]:
        """Beat's dispatch and the poll tasks of one round; returns what was due."""
        due = set(Source.objects.due().values_list("pk", flat=True))
        started = time.monotonic()
        for token in poll.claim_due_batches():
            poll.poll_leased(token)
        # A hanging site costs one read timeout, never the round.
        self.assertLess(time.monotonic() - started, settings.FETCH_TOTAL_TIMEOUT + 3)
        self.assertFalse(Source.objects.due().exists(), "a due source was left unpolled")
        for source in self.healthy:
            if source.pk in due:
                log = PollLog.objects.get(source=source, started=self.clock.now())
                self.assertEqual(log.error, "")
        return due

    def next_round(self, phase_end) -> None:
        """Beat dispatches every ROUND; the rounds where nothing is due change nothing,
        so the clock goes straight to the first round at which something is due (or
        the site changes its behaviour)."""
        due = Source.objects.filter(state=SourceState.ACTIVE).aggregate(t=Min("next_fetch_at"))
        target = min(due["t"] or phase_end, phase_end)
        rounds = max(1, math.ceil((target - self.clock.now()) / ROUND))
        self.clock.advance(seconds=rounds * ROUND.total_seconds())

    def page(self, language: str) -> str:
        self.login(self.alice)  # a session ends after 8 idle hours, simulated ones too
        url = f"/org/{self.org.code}/sources/"
        page = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(page.status_code, 200)
        # The test client leaves the request's language active; a worker has its own.
        translation.deactivate()
        return html.unescape(page.content.decode())

    def test_it_keeps_polling_through_a_day_of_faults_and_reads_the_site_once_back(self):
        self.round()  # the site works at first
        self.assertEqual(Item.objects.filter(source=self.broken).count(), 1)
        phases = iter(DAY)
        hours, mode = next(phases)
        upcoming = next(phases)
        seen = {}
        polls_of_broken = [self.clock.now()]
        while True:
            self.next_round(self.start + timedelta(hours=upcoming[0]))
            if self.clock.now() >= self.start + timedelta(hours=upcoming[0]):
                self.end_phase(mode, seen)
                hours, mode = upcoming
                upcoming = next(phases, (10**6, None))
            self.mode = mode
            due = self.round()
            if self.broken.pk in due:
                polls_of_broken.append(self.clock.now())
            self.broken.refresh_from_db()
            self.assertEqual(self.broken.state, SourceState.ACTIVE)  # never paused
            if mode == "good" and self.broken.error_count == 0:
                break
            self.assertLess(self.clock.now() - self.start, timedelta(hours=27))

        # Tried at least every hour all day: back within the hour of its recovery.
        gaps = [b - a for a, b in zip(polls_of_broken, polls_of_broken[1:], strict=False)]
        self.assertLessEqual(max(gaps), timedelta(seconds=settings.POLL_ERROR_MAX_DELAY) + ROUND)
        self.assertLessEqual(self.clock.now() - self.start, timedelta(hours=25, minutes=5))
        self.assertEqual(set(seen), set(SAID))
        self.assertEqual((seen["hang"], seen["trickle"]), ("timeout", "timeout"))

        # What it published during the outage is stored, once; a later poll adds nothing.
        items = Item.objects.filter(source=self.broken)
        self.assertEqual(sorted(items.values_list("guid_hash", flat=True).distinct()).__len__(), 3)
        self.assertEqual(items.count(), 3)
        mentions = Mention.objects.filter(organisation=self.org, source=self.broken)
        self.assertEqual(mentions.count(), 3)
        self.clock.advance(hours=7)
        self.round()
        self.assertEqual((items.count(), mentions.count()), (3, 3))

        english, french = self.page("en"), self.page("fr")
        self.assertNotIn("The site", english)
        self.assertNotIn("Le site", french)

    def end_phase(self, mode: str, seen: dict) -> None:
        """At the end of each faulty phase: its polls failed, and the page says why."""
        if mode == "good":
            return
        self.broken.refresh_from_db()
        self.assertGreater(self.broken.error_count, 0, mode)
        if mode in ("500", "huge"):  # the whole page, twice (a page costs more than a day)
            english, french = self.page("en"), self.page("fr")
            self.assertIn("We keep trying on our own", english)
        else:  # the sentence the page leads with
            with translation.override("en"):
                english = troubles.explain(self.broken)
            with translation.override("fr"):
                french = troubles.explain(self.broken)
        self.assertIn(SAID[mode][0], english, mode)
        self.assertIn(SAID[mode][1], french, mode)
        seen[mode] = self.broken.last_error_code
