"""A poll reads the source's followers with what their mentions need in one statement
(reputation/mentions/finding/readers.py): each organisation's own time zone,
retention, erasures and tone, never another's, and nothing kept from one poll to the
next: a new follower or a changed setting counts at the next poll."""

import re
from datetime import timedelta
from email.utils import format_datetime
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import PollLog
from monitoring.pipeline import poll
from monitoring.types import FetchResult
from reputation.dashboard.models import DailyCount
from reputation.mentions.finding import matchers
from reputation.mentions.finding.readers import readers_of
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.privacy.models import ErasedAuthor, PrivacySettings
from reputation.sources.follow import follow_source
from tests.monitoring.test_poll import RSS

STORY = (
    "La Boulangerie Dupont de Villeurbanne a remporté le concours du meilleur croissant "
    "du Rhône, devant quarante artisans. Le jury a salué un feuilletage remarquable."
)


def body(*items) -> bytes:
    """RSS of (guid, author, published) items, each naming Boulangerie Dupont."""
    rows = "".join(
        f"<item><title>Concours {guid}</title><link>https://f.example/{guid}</link>"
        f"<guid>{guid}</guid><pubDate>{format_datetime(when)}</pubDate>"
        f"<dc:creator>{author}</dc:creator><description>{guid} {STORY}</description></item>"
        for guid, author, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>F</title>'
        f"<link>https://f.example/</link>{rows}</channel></rss>"
    ).encode()


class ReadersTestCase(TestCase):
    def setUp(self):
        self.a = Organisation.objects.create(slug="a", name="A", time_zone="Pacific/Auckland")
        self.b = Organisation.objects.create(slug="b", name="B", time_zone="America/Los_Angeles")
        for org in (self.a, self.b):
            TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
        self.source, _ = follow_source(self.a, "https://f.example/feed.xml")
        matchers.invalidate()

    def poll(self, *items):
        result = FetchResult(url=self.source.url, status=200, body=body(*items), headers=RSS)
        return poll.process(self.source, result)

    def mentions(self, org) -> list[str]:
        urls = Mention.objects.filter(organisation=org).values_list("url", flat=True)
        return sorted(url.removeprefix("https://f.example/") for url in urls)

    def test_it_reads_each_follower_with_its_own_settings_only(self):
        follow_source(self.b, self.source.url)
        PrivacySettings.objects.create(organisation=self.b, retention_months=2)
        ErasedAuthor.objects.create(organisation=self.a, name="Jean Martin")
        readers = readers_of(self.source.pk)
        self.assertEqual(set(readers), {self.a.pk, self.b.pk})
        a, b = readers[self.a.pk], readers[self.b.pk]
        self.assertEqual(
            (a.time_zone, a.retention_months, a.erased_authors), ("Pacific/Auckland", None, True)
        )
        self.assertEqual(
            (b.time_zone, b.retention_months, b.erased_authors), ("America/Los_Angeles", 2, False)
        )
        self.assertLess(abs(a.followed_at - timezone.now()), timedelta(minutes=1))
        self.assertIsNone(a.adapter_updated)

    def test_it_screens_and_counts_each_follower_by_its_own_rules(self):
        follow_source(self.b, self.source.url)
        ErasedAuthor.objects.create(organisation=self.a, name="Jean Martin")
        now = timezone.now()
        # B keeps one month: an item of two months ago is beyond it, not beyond A's.
        PrivacySettings.objects.create(organisation=self.b, retention_months=1)
        # 22:30 UTC three days ago: still that day in Los Angeles, the next in Auckland.
        late = (now - timedelta(days=3)).replace(hour=22, minute=30)
        self.poll(
            ("by-jean", "Jean Martin", now - timedelta(hours=1)),
            ("old", "Paul", now - timedelta(days=60)),
            ("late", "Paul", late),
        )
        # A erased Jean Martin, B did not; B's retention drops the old item, A's does not.
        self.assertEqual(self.mentions(self.a), ["late", "old"])
        self.assertEqual(self.mentions(self.b), ["by-jean", "late"])
        # The same mention counted on each organisation's own day.
        days = {
            org: set(DailyCount.objects.filter(organisation=org).values_list("day", flat=True))
            for org in (self.a, self.b)
        }
        self.assertIn(late.date() + timedelta(days=1), days[self.a])
        self.assertNotIn(late.date(), days[self.a])
        self.assertIn(late.date(), days[self.b])
        self.assertNotIn(late.date() + timedelta(days=1), days[self.b])

    def test_it_sees_a_new_follower_and_changed_settings_at_the_next_poll(self):
        now = timezone.now()
        self.poll(("first", "Paul", now - timedelta(days=60)))
        self.assertEqual((self.mentions(self.a), self.mentions(self.b)), (["first"], []))
        # Between two polls of the same worker: B follows, A erases Paul and keeps a month.
        follow_source(self.b, self.source.url)
        ErasedAuthor.objects.create(organisation=self.a, name="Paul")
        PrivacySettings.objects.create(organisation=self.a, retention_months=1)
        self.poll(
            ("first", "Paul", now - timedelta(days=60)),
            ("second", "Paul", now - timedelta(hours=1)),
            ("third", "Marie", now - timedelta(days=45)),
        )
        self.assertEqual(self.mentions(self.a), ["first"])
        self.assertEqual(self.mentions(self.b), ["second", "third"])


class PollStatementsTestCase(TestCase):
    """The statements of one poll, locked in: set-based, none per item, and the
    followers with everything their mentions need read in one."""

    def setUp(self):
        self.org = Organisation.objects.create(slug="a", name="A")
        TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        self.source, _ = follow_source(self.org, "https://f.example/feed.xml")
        matchers.invalidate()
        # An organisation's matcher is built once per worker (at its first poll).
        matchers.compiled().matcher.ready([self.org.pk])

    def statements(self, *items) -> list[str]:
        result = FetchResult(url=self.source.url, status=200, body=body(*items), headers=RSS)
        with CaptureQueriesContext(connection) as queries:
            poll.process(self.source, result)
        out = []
        for query in queries.captured_queries:
            sql = query["sql"].replace('"', "")
            while "(" in sql:  # the statement's own table, not its subqueries'
                sql = re.sub(r"\([^()]*\)", "", sql)
            words = sql.split()
            if words[1:2] == ["times:"]:  # executemany: one statement, run for each row
                words = words[2:]
            verb = words[0]
            if verb in ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"):
                continue  # transactions: on SQLite a poll writes in two, elsewhere in one
            where = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE"}[verb]
            out.append(f"{verb} {words[words.index(where) + 1].split('.')[0]}")
        return out

    # Once in a while, not at every poll: the log's trim, the matcher version's check.
    @mock.patch.object(PollLog, "TRIM_EVERY", 10**12)
    @mock.patch.object(matchers, "RECHECK_SECONDS", 10**9)
    def test_it_polls_with_these_statements_whatever_the_number_of_items(self):
        now = timezone.now()
        for n in (2, 12):
            items = [(f"{n}-{k}", "Paul", now - timedelta(hours=k)) for k in range(n)]
            self.assertEqual(
                self.statements(*items),
                [
                    "SELECT monitoring_sighting",  # which guids the source showed before
                    "SELECT monitoring_item",  # known by URL or content
                    "INSERT monitoring_item",
                    "INSERT monitoring_sighting",
                    # followers, time zones, retention, erasures, tone adapters
                    "SELECT sources_follow",
                    "INSERT mentions_mention",
                    "INSERT dashboard_dailycount",
                    "INSERT dashboard_dailysource",
                    "INSERT dashboard_dailyauthor",
                    "UPDATE monitoring_item",  # languages detected
                    "UPDATE monitoring_source",
                    "INSERT monitoring_polllog",
                ],
            )
        # The same body again: nothing new, three statements.
        self.assertEqual(
            self.statements(*items),
            ["SELECT monitoring_sighting", "UPDATE monitoring_source", "INSERT monitoring_polllog"],
        )
