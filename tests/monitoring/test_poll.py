"""The poll pipeline against a real local HTTP server: dedup, leases, schedule, errors."""

from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import Item, PollLog, Sighting, Source, SourceState
from monitoring.parse.canonical import canonical_url, fingerprint
from monitoring.pipeline import poll, store, tasks
from monitoring.types import FetchResult
from reputation.mentions.finding import matchers as mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source
from tests.httpserver import LocalServer

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
STORY = (
    "La Boulangerie Dupont de Villeurbanne a remporté le concours du meilleur croissant "
    "du Rhône, devant quarante artisans. Le jury a salué un feuilletage remarquable."
)


def rss(*items) -> bytes:
    rows = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>{date}</pubDate><description>{d}</description></item>"
        for guid, link, t, d, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
        f"<link>https://f.example/</link>{rows}</channel></rss>"
    ).encode()


OLD = "Mon, 02 Nov 2026 10:00:00 +0100"


class PollTestCase(TestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.a = Organisation.objects.create(slug="a", name="A")
        self.b = Organisation.objects.create(slug="b", name="B")
        for org in (self.a, self.b):
            TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")

    def feed(self, path, body, **headers):
        self.server.route(path, body, headers={**RSS, **headers})
        return self.server.url(path)

    def test_it_keeps_one_item_for_a_story_in_two_feeds(self):
        one = self.feed(
            "/one.xml", rss(("g1", "https://news.example/s?utm_source=one", "T", STORY, OLD))
        )
        two = self.feed("/two.xml", rss(("x9", "https://news.example/s#top", "T", STORY, OLD)))
        s1, _ = follow_source(self.a, one)
        s2, _ = follow_source(self.b, two)
        poll.poll_now([s1, s2])
        self.assertEqual(Item.objects.count(), 1)
        self.assertEqual(Sighting.objects.count(), 2)
        # Each organisation gets its mention, through the source it follows.
        self.assertEqual(Mention.objects.get(organisation=self.a).source, s1)
        self.assertEqual(Mention.objects.get(organisation=self.b).source, s2)

    def test_it_recognises_a_story_republished_with_a_new_guid_and_url(self):
        url = self.feed("/f.xml", rss(("g1", "https://news.example/1", "T", STORY, OLD)))
        source, _ = follow_source(self.a, url)
        poll.poll_now([source])
        self.feed("/f.xml", rss(("g2", "https://news.example/1-bis", "T", STORY, OLD)))
        report = poll.poll_now([source])[0]
        self.assertEqual((report.items_found, report.items_new), (1, 0))
        self.assertEqual(Item.objects.count(), 1)
        self.assertEqual(Mention.objects.count(), 1)

    def test_it_survives_another_worker_storing_the_same_story_meanwhile(self):
        url = self.feed(
            "/f.xml", rss(("g1", "https://n.example/1", "Boulangerie Dupont", STORY, OLD))
        )
        source, _ = follow_source(self.a, url)
        other, _ = follow_source(self.b, self.feed("/other.xml", rss()))
        real_new_item = store._new_item

        def racing_new_item(src, guid_hash, entry, *args):
            # Another worker stores the same URL between our lookup and our insert.
            twin = real_new_item(other, "other-guid", entry, *args)
            twin.save()
            return real_new_item(src, guid_hash, entry, *args)

        with mock.patch.object(store, "_new_item", side_effect=racing_new_item):
            report = poll.poll_now([source])[0]
        self.assertEqual(report.error, "")
        self.assertEqual(Item.objects.count(), 1)
        self.assertEqual(Sighting.objects.get().source, source)
        self.assertEqual(Mention.objects.get().organisation, self.a)

    def test_it_gives_mentions_only_to_organisations_following_the_source(self):
        url = self.feed(
            "/f.xml", rss(("g1", "https://n.example/1", "Boulangerie Dupont", STORY, OLD))
        )
        source, _ = follow_source(self.a, url)
        poll.poll_now([source])
        self.assertEqual(Mention.objects.filter(organisation=self.a).count(), 1)
        self.assertFalse(Mention.objects.filter(organisation=self.b).exists())

    def test_it_keeps_old_items_with_their_dates_but_they_do_not_alert(self):
        recent = (timezone.now() + timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        url = self.feed(
            "/f.xml",
            rss(
                ("old", "https://n.example/old", "Boulangerie Dupont", STORY, OLD),
                ("new", "https://n.example/new", "Boulangerie Dupont ouvre", "Bravo !", recent),
            ),
        )
        source, _ = follow_source(self.a, url)
        poll.poll_now([source])
        old = Mention.objects.get(item__url="https://n.example/old")
        new = Mention.objects.get(item__url="https://n.example/new")
        self.assertEqual(old.published.date().isoformat(), "2026-11-02")
        self.assertFalse(old.alertable)
        self.assertTrue(new.alertable)
        item = new.item
        self.assertTrue(item.published_known)
        self.assertLessEqual(abs((item.collected - timezone.now()).total_seconds()), 60)

    def test_it_records_an_error_and_goes_on_with_the_next_source(self):
        good = self.feed("/good.xml", rss(("g1", "https://n.example/1", "T", STORY, OLD)))
        self.server.route("/bad.xml", b"<html><body>Hello</body></html>")
        s_bad, _ = follow_source(self.a, self.server.url("/bad.xml"))
        s_gone, _ = follow_source(self.a, self.server.url("/gone.xml"))
        s_good, _ = follow_source(self.a, good)
        reports = {r.source_id: r for r in poll.poll_now([s_bad, s_gone, s_good])}
        self.assertEqual(reports[s_good.pk].items_new, 1)
        for source in (s_bad, s_gone):
            source.refresh_from_db()
            self.assertTrue(source.last_error, source)
            self.assertEqual(source.error_count, 1)
            self.assertGreater(source.next_fetch_at, timezone.now() + timedelta(minutes=10))
        self.assertIn("404", Source.objects.get(pk=s_gone.pk).last_error)
        self.assertEqual(PollLog.objects.filter(source=s_gone).get().status, 404)

    @override_settings(
        POLL_PAUSE_AFTER_ERRORS=3, POLL_PAUSE_AFTER_HOURS=0, POLL_ERROR_MAX_DELAY=86400
    )
    def test_it_backs_off_then_pauses_a_failing_source(self):
        source, _ = follow_source(self.a, self.server.url("/gone.xml"))
        delays = []
        for _ in range(3):
            Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now())
            poll.poll_now([source])
            source.refresh_from_db()
            delays.append((source.next_fetch_at - timezone.now()).total_seconds())
        self.assertLess(delays[0], delays[1])
        self.assertLess(delays[1], delays[2])
        self.assertEqual(source.state, SourceState.PAUSED)
        self.assertNotIn(source, Source.objects.due(timezone.now() + timedelta(days=365)))
        # Following it again (someone asked for it) resumes it.
        follow_source(self.b, source.url)
        source.refresh_from_db()
        self.assertEqual(source.state, SourceState.ACTIVE)

    def test_it_polls_busy_sources_more_often_than_quiet_ones(self):
        now = timezone.now()
        busy = [
            (
                f"b{i}",
                f"https://n.example/b{i}",
                "t",
                f"busy {i} " * 20,
                (now - timedelta(minutes=10 * i)).strftime("%a, %d %b %Y %H:%M:%S +0000"),
            )
            for i in range(10)
        ]
        quiet = [
            (
                f"q{i}",
                f"https://n.example/q{i}",
                "t",
                f"quiet {i} " * 20,
                (now - timedelta(days=3 * i)).strftime("%a, %d %b %Y %H:%M:%S +0000"),
            )
            for i in range(10)
        ]
        s_busy, _ = follow_source(self.a, self.feed("/busy.xml", rss(*busy)))
        s_quiet, _ = follow_source(self.a, self.feed("/quiet.xml", rss(*quiet)))
        for _ in range(4):
            Source.objects.update(next_fetch_at=timezone.now())
            poll.poll_now([s_busy, s_quiet])
        s_busy.refresh_from_db()
        s_quiet.refresh_from_db()
        self.assertLess(s_busy.interval, s_quiet.interval)
        self.assertGreaterEqual(s_busy.interval, 300)
        self.assertLessEqual(s_quiet.interval, 6 * 3600)

    def test_it_never_leases_a_source_twice(self):
        source, _ = follow_source(self.a, self.feed("/f.xml", rss()))
        first = Source.objects.claim([source.pk])
        second = Source.objects.claim([source.pk])
        self.assertEqual(Source.objects.get(pk=source.pk).lease_token.hex, first.replace("-", ""))
        self.assertEqual(poll.poll_leased(second), [])
        self.assertNotIn(source, Source.objects.due())
        self.assertEqual(len(poll.poll_leased(first)), 1)
        self.assertIsNone(Source.objects.get(pk=source.pk).lease_token)

    def test_it_takes_back_the_lease_of_a_dead_worker(self):
        source, _ = follow_source(self.a, self.feed("/f.xml", rss()))
        Source.objects.claim([source.pk])
        later = timezone.now() + timedelta(seconds=3600)
        self.assertIn(source, Source.objects.due(later))
        token = Source.objects.claim([source.pk], later)
        self.assertEqual(str(Source.objects.get(pk=source.pk).lease_token), token)

    def test_it_restarts_the_lease_when_the_batch_starts_so_no_dispatch_takes_it_meanwhile(
        self,
    ):
        source, _ = follow_source(self.a, self.feed("/f.xml", rss()))
        lease = settings.POLL_LEASE_SECONDS
        now = timezone.now()
        # Claimed by a dispatch long ago: the batch waited in the queue, 5 s of lease left.
        token = Source.objects.claim([source.pk], now - timedelta(seconds=lease - 5))
        self.assertEqual(Source.objects.renew(token, now), 1)
        # The next dispatch, after the old lease's end while the task still polls.
        later = now + timedelta(seconds=60)
        self.assertNotIn(source, Source.objects.due(later))
        Source.objects.claim([source.pk], later)
        self.assertEqual(str(Source.objects.get(pk=source.pk).lease_token), token)
        self.assertEqual(len(poll.poll_leased(token)), 1)

    def test_it_never_renews_a_lease_that_ran_out(self):
        source, _ = follow_source(self.a, self.feed("/f.xml", rss()))
        now = timezone.now()
        stale = Source.objects.claim(
            [source.pk], now - timedelta(seconds=settings.POLL_LEASE_SECONDS + 5)
        )
        self.assertEqual(Source.objects.renew(stale, now), 0)
        fresh = Source.objects.claim([source.pk], now)
        self.assertEqual(Source.objects.renew(stale, now), 0)
        self.assertEqual(poll.poll_leased(stale), [])
        self.assertEqual(len(poll.poll_leased(fresh)), 1)

    def test_it_skips_sources_nobody_follows(self):
        source, _ = follow_source(self.a, self.feed("/f.xml", rss()))
        self.assertIn(source, Source.objects.due())
        source.follows.all().delete()
        self.assertNotIn(source, Source.objects.due())

    @override_settings(POLL_DISPATCH_LIMIT=2, POLL_DISPATCH_BATCH=2)
    def test_it_queues_the_next_dispatch_behind_its_batches_while_more_are_due(self):
        for n in range(5):
            follow_source(self.a, self.feed(f"/{n}.xml", rss()))
        sent = []
        with (
            mock.patch.object(tasks.poll_sources, "delay", lambda t: sent.append(("poll", t))),
            mock.patch.object(tasks.dispatch_due_sources, "delay", lambda: sent.append("next")),
        ):
            self.assertEqual(tasks.dispatch_due_sources(), 1)
            self.assertEqual([s if s == "next" else s[0] for s in sent], ["poll", "next"])
            tasks.dispatch_due_sources()  # the queued one: two more, and the next again
            tasks.dispatch_due_sources()  # the last one, fewer than the limit: no more
        self.assertEqual([s if s == "next" else s[0] for s in sent[2:]], ["poll", "next", "poll"])
        leased = Source.objects.filter(lease_token__isnull=False)
        self.assertEqual(leased.count(), 5)
        self.assertEqual(leased.values("lease_token").distinct().count(), 3)
        self.assertEqual(Source.objects.due().count(), 0)

    @override_settings(POLL_DISPATCH_BATCH=3)
    def test_it_spreads_each_batch_over_the_hosts(self):
        urls = [f"https://a.example/{n}.xml" for n in range(6)]
        urls += [f"https://b.example/{n}.xml" for n in range(3)]
        for url in urls:  # six sources of a.example, then three of b.example
            source = Source.objects.create(url=url)
            self.a.follows.create(source=source)
        tokens = poll.claim_due_batches()
        hosts = [
            sorted(
                urlsplit(url).hostname[0]
                for url in Source.objects.filter(lease_token=token).values_list("url", flat=True)
            )
            for token in tokens
        ]
        self.assertEqual(hosts, [["a", "a", "b"], ["a", "a", "b"], ["a", "a", "b"]])


def test_it_canonicalises_urls():
    assert canonical_url("https://Ex.com/a?utm_source=x&b=2&a=1#frag") == "https://ex.com/a?a=1&b=2"
    assert (
        canonical_url("https://www.google.com/url?rct=j&sa=t&url=https://journal.fr/a&ct=ga")
        == "https://journal.fr/a"
    )
    assert canonical_url("") == ""


def test_it_fingerprints_content_not_markup_or_case():
    assert fingerprint("Titre", STORY) == fingerprint("TITRE", STORY.replace(",", " ,"))
    assert fingerprint("Titre", STORY) != fingerprint("Titre", STORY + " Autre fait.")
    assert fingerprint("Re: question", "") == ""


def test_it_keeps_meaningful_parameters_and_drops_tracking_ones():
    assert (
        canonical_url("https://news.google.com/rss/search?q=dupont&hl=fr&gl=FR&ceid=FR:fr")
        == "https://news.google.com/rss/search?ceid=FR:fr&gl=FR&hl=fr&q=dupont"
    )
    assert canonical_url("https://www.lemonde.fr/a.html?xtor=RSS-3208&id=2") == (
        "https://www.lemonde.fr/a.html?id=2"
    )
    assert canonical_url("HTTP://Ex.com:80/a?fbclid=1") == "http://ex.com/a"
    assert canonical_url("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000/x"


class PollQueriesTestCase(TestCase):
    """A poll costs a constant number of queries, however many items and mentions."""

    def setUp(self):
        self.org = Organisation.objects.create(slug="a", name="A")
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        mentions.invalidate()

    def queries_for(self, n: int, prefix: str) -> int:
        source, _ = follow_source(self.org, f"https://{prefix}.example/feed.xml")
        body = rss(
            *(
                (
                    f"{prefix}-{k}",
                    f"https://{prefix}.example/{k}",
                    f"{prefix} {k}",
                    f"{k} {STORY}",
                    OLD,
                )
                for k in range(n)
            )
        )
        result = FetchResult(url=source.url, status=200, body=body, headers=dict(RSS))
        # An organisation's matcher is built once per worker (at its first poll), not per poll.
        mentions.compiled().matcher.ready([self.org.pk])
        with CaptureQueriesContext(connection) as queries:
            report = poll.process(source, result)
        self.assertEqual((report.items_new, report.mentions_new), (n, n))
        return len(queries)

    # The poll log is trimmed by row id, once in a while: not in these two polls.
    @mock.patch.object(PollLog, "TRIM_EVERY", 10**12)
    def test_it_polls_with_a_constant_number_of_queries(self):
        self.assertEqual(self.queries_for(2, "small"), self.queries_for(30, "large"))


class PollLogTestCase(TestCase):
    def test_it_keeps_the_last_polls_of_each_source(self):
        org = Organisation.objects.create(slug="a", name="A")
        source, _ = follow_source(org, "https://example.org/feed")
        other, _ = follow_source(org, "https://example.org/other")
        PollLog.objects.create(source=other)
        counts = []
        for _ in range(PollLog.KEEP + 3 * PollLog.TRIM_EVERY):
            poll._error(source, "network", "could not reach the server")
            counts.append(PollLog.objects.filter(source=source).count())
        # Trimmed now and then, never below the last POLL_LOG_KEEP, never far above.
        self.assertEqual(min(counts[PollLog.KEEP :]), PollLog.KEEP)
        self.assertLess(max(counts), PollLog.KEEP + PollLog.TRIM_EVERY)
        self.assertEqual(PollLog.objects.filter(source=other).count(), 1)


FORUM = """<html><body><h1>Avis sur la Boulangerie Dupont</h1>{}</body></html>"""
POST = (
    '<div class="post" id="p{n}"><a class="perma" href="/t/42#p{n}">#{n}</a>'
    '<span class="who">membre{n}</span><div class="body">Message {n} : la Boulangerie '
    "Dupont de Villeurbanne, mon avis numéro {n} sur leurs croissants et leur accueil "
    "du samedi matin, en détail et sans détour.</div></div>"
)


class ForumPostsTestCase(TestCase):
    def test_it_keeps_each_post_of_a_thread_as_its_own_item(self):
        server = LocalServer()
        server.start()
        self.addCleanup(server.stop)
        posts = "".join(POST.format(n=n) for n in range(1, 5))
        server.route("/t/42", FORUM.format(posts).encode())
        org = Organisation.objects.create(slug="a", name="A")
        TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
        config = {"post": "div.post", "body": "div.body", "author": "span.who"}
        source, _ = follow_source(org, server.url("/t/42"), "forum", config)
        report = poll.poll_now([source])[0]
        self.assertEqual(report.error, "")
        # Permalinks differ only by their #fragment: still four posts, four mentions.
        self.assertEqual((report.items_found, report.items_new), (4, 4))
        self.assertEqual(report.mentions_new, 4)
        self.assertEqual(Item.objects.filter(url__contains="#p").count(), 4)
