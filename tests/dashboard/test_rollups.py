"""Daily rollups: counted as mentions are created, moved by corrections, equal to a
rebuild from the mentions, in the organisation's days, competitors kept apart."""

import io
from datetime import UTC, date, datetime, timedelta

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from monitoring.models import Item, Source
from reputation.dashboard import rollups
from reputation.dashboard.figures import figures, reputation_index
from reputation.dashboard.models import DailyAspect, DailyAuthor, DailyCount, DailySource
from reputation.dashboard.periods import Period
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from tests.base import BaseTestCase


def snapshot(org):
    def rows(model, *fields):
        return sorted(
            tuple(getattr(r, f) for f in ("day", "tracked_name_id", *fields))
            for r in model.objects.filter(organisation=org)
            if r.count or getattr(r, "negative", 0)
        )

    return {
        "counts": rows(DailyCount, "sentiment", "count"),
        "sources": rows(DailySource, "source", "count", "negative"),
        "aspects": rows(DailyAspect, "aspect", "sentiment", "count"),
        "authors": rows(DailyAuthor, "author", "count", "negative"),
    }


class RollupTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://avis.example/", title="Avis")
        self.other_source = Source.objects.create(url="https://forum.example/")
        self.dupont = TrackedName.objects.create(organisation=self.org, label="Dupont")
        self.rival = TrackedName.objects.create(
            organisation=self.org, label="Martin", kind=TrackedKind.COMPETITOR
        )
        self.theirs = TrackedName.objects.create(organisation=self.other_org, label="Charlie")
        self.n = 0

    def pending(self, tracked, published, sentiment="negative", source=None, **extra):
        self.n += 1
        item = Item.objects.create(
            source=source or self.source,
            guid_hash=str(self.n),
            title=f"Avis {self.n}",
            author=extra.get("author", ""),
            published=published,
        )
        return Mention(
            organisation=tracked.organisation,
            tracked_name=tracked,
            item=item,
            source=source or self.source,
            published=published,
            sentiment=sentiment,
            title=item.title,
            **extra,
        )

    def save(self, mentions):
        return save_mentions(PendingMentions(list(mentions)))


class IncrementalTests(RollupTestCase):
    def test_it_counts_new_mentions_as_a_rebuild_would(self):
        noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
        self.save(
            [
                self.pending(
                    self.dupont, noon, "negative", aspects=["price", "staff"], author="Léa"
                ),
                self.pending(self.dupont, noon, "positive", aspects=["price"], author="Léa"),
                self.pending(self.dupont, noon + timedelta(days=1), source=self.other_source),
                self.pending(self.rival, noon, "positive"),
                self.pending(self.theirs, noon, "neutral"),
            ]
        )
        incremental = snapshot(self.org)
        d10, d11 = date(2026, 3, 10), date(2026, 3, 11)
        dupont, rival = self.dupont.pk, self.rival.pk
        self.assertEqual(
            incremental["counts"],
            [
                (d10, dupont, "negative", 1),
                (d10, dupont, "positive", 1),
                (d10, rival, "positive", 1),
                (d11, dupont, "negative", 1),
            ],
        )
        self.assertEqual(
            incremental["sources"],
            [
                (d10, dupont, self.source.pk, 2, 1),
                (d10, rival, self.source.pk, 1, 0),
                (d11, dupont, self.other_source.pk, 1, 1),
            ],
        )
        self.assertEqual(
            incremental["aspects"],
            [
                (d10, dupont, "price", "negative", 1),
                (d10, dupont, "price", "positive", 1),
                (d10, dupont, "staff", "negative", 1),
            ],
        )
        self.assertEqual(incremental["authors"], [(d10, dupont, "Léa", 2, 1)])
        self.assertEqual(rollups.rebuild(self.org), 4)
        self.assertEqual(snapshot(self.org), incremental)
        self.assertEqual(len(snapshot(self.other_org)["counts"]), 1)

    def test_it_does_not_count_a_mention_another_worker_saved_first(self):
        noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
        first = self.pending(self.dupont, noon)
        self.save([first])
        # The same mention found again (new Python object, new code): not inserted.
        again = Mention(
            organisation=self.org,
            tracked_name=self.dupont,
            item=first.item,
            source=self.source,
            published=noon,
            sentiment="negative",
        )
        self.save([again, self.pending(self.dupont, noon)])
        self.assertEqual(DailyCount.objects.get(organisation=self.org).count, 2)

    @override_settings(TIME_ZONE="Europe/Paris")
    def test_it_counts_days_in_the_organisations_time_zone(self):
        # 23:30 UTC on 10 March is 00:30 on 11 March in Paris.
        self.save([self.pending(self.dupont, datetime(2026, 3, 10, 23, 30, tzinfo=UTC))])
        self.assertEqual(DailyCount.objects.get(organisation=self.org).day, date(2026, 3, 11))
        rollups.rebuild(self.org)  # the database's days agree with Python's
        self.assertEqual(DailyCount.objects.get(organisation=self.org).day, date(2026, 3, 11))
        self.assertEqual(str(self.org.zone), "Europe/Paris")

    def test_it_moves_counts_when_a_person_corrects_the_sentiment(self):
        noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
        mention = self.pending(self.dupont, noon, "negative", aspects=["price"], author="Léa")
        self.save([mention, self.pending(self.dupont, noon, "negative")])
        mention = Mention.objects.get(code=mention.code)
        mention.correct(self.alice, "positive")
        counts = {r.sentiment: r.count for r in DailyCount.objects.filter(organisation=self.org)}
        self.assertEqual(counts, {"negative": 1, "positive": 1})
        mention.correct(self.alice, "positive")  # no change: nothing moves
        mention.correct(self.alice, "auto")  # back to the automatic label
        mention.refresh_from_db()
        after = snapshot(self.org)
        rollups.rebuild(self.org)
        self.assertEqual(snapshot(self.org), after)

    def test_it_keeps_a_rollup_and_its_mentions_in_one_transaction(self):
        noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
        try:
            with transaction.atomic():
                self.save([self.pending(self.dupont, noon)])
                raise RuntimeError("the poll failed after saving")
        except RuntimeError:
            pass
        self.assertFalse(Mention.objects.exists())
        self.assertFalse(DailyCount.objects.exists())

    def test_it_rebuilds_with_the_command(self):
        noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
        self.save([self.pending(self.dupont, noon)])
        DailyCount.objects.update(count=99)
        out = io.StringIO()
        call_command("rebuildrollups", "alice-co", stdout=out)
        self.assertEqual(DailyCount.objects.get(organisation=self.org).count, 1)
        self.assertIn("alice-co: 1 mentions counted", out.getvalue())


class FigureTests(RollupTestCase):
    def test_it_keeps_competitors_out_of_the_totals(self):
        today = date(2026, 3, 31)
        period = Period(today - timedelta(days=6), today, 7)
        at = datetime(2026, 3, 30, 12, tzinfo=UTC)
        earlier = datetime(2026, 3, 20, 12, tzinfo=UTC)  # the previous 7 days
        self.save(
            [self.pending(self.dupont, at, "positive") for _ in range(3)]
            + [self.pending(self.dupont, at, "negative")]
            + [self.pending(self.rival, at, "negative") for _ in range(4)]
            + [self.pending(self.dupont, earlier, "negative") for _ in range(2)]
            + [self.pending(self.theirs, at, "positive")]
        )
        f = figures(self.org, period)
        self.assertEqual(f["current"]["total"], 4)
        self.assertEqual(f["current"]["positive"], 3)
        self.assertEqual(f["previous"]["total"], 2)
        self.assertEqual(f["current"]["total_change"].diff, 2)
        self.assertEqual(f["current"]["index"], reputation_index(3, 1))
        self.assertEqual(
            [(s["label"], s["n"], s["pct"]) for s in f["share"]],
            [("Alice & Co", 4, 50), ("Martin", 4, 50)],
        )
        self.assertEqual(sum(p["total"] for p in f["over_time"]), 4)
        self.assertEqual(len(f["over_time"]), 7)
        self.assertEqual(f["sources"][0]["n"], 4)
        self.assertEqual(f["sources"][0]["negative"], 1)

    def test_it_keeps_the_index_near_the_middle_with_few_mentions(self):
        self.assertEqual(reputation_index(0, 0), 50)
        self.assertEqual(reputation_index(1, 1), 50)
        self.assertEqual(reputation_index(1, 0), 55)
        self.assertEqual(reputation_index(0, 1), 45)
        self.assertEqual(reputation_index(900, 100), 90)

    def test_it_compares_with_the_previous_period(self):
        p = Period(date(2026, 3, 1), date(2026, 3, 30))
        self.assertEqual(p.days, 30)
        self.assertEqual(p.previous, Period(date(2026, 1, 30), date(2026, 2, 28)))
        self.assertEqual(p.bucket(), 1)
        long = Period(date(2026, 1, 1), date(2026, 3, 31))
        self.assertEqual(long.bucket(), 7)
        self.assertEqual(len(long.buckets()), 13)
        self.assertEqual(long.bucket_of(date(2026, 1, 9)), date(2026, 1, 8))
