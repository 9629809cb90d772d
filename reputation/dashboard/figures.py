"""The dashboard's figures, read from the daily rollups in a fixed number of queries.

Own names and competitors are kept apart: every total, index and chart of the
organisation counts its own names only (brand, people, products); competitors
appear in the share of voice, next to the organisation's own total. Every figure
counts mentions: an item that names two tracked names is two mentions.

Reputation index (documented in docs/dashboard.md): 100 × (P + 5) / (P + N + 10),
P and N the positive and negative mentions of the period. The prior (5 positive,
5 negative) keeps it near 50 when there are few mentions: one complaint among two
mentions gives 42, not 0. Neutral mentions do not move it.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Sum

from monitoring.models import Source
from reputation.dashboard.models import DailyAspect, DailyAuthor, DailyCount, DailySource
from reputation.dashboard.periods import Period
from reputation.dashboard.stats import ASPECT_LABELS
from reputation.names.models import TrackedName
from reputation.sources.models import Follow

TONES = ("positive", "neutral", "negative")
PRIOR = 5  # pseudo-mentions on each side of the reputation index
TOP = 10


def reputation_index(positive: int, negative: int) -> int:
    return round(100 * (positive + PRIOR) / (positive + negative + 2 * PRIOR))


# Below this many mentions in the previous period a percentage misleads ("+7900 %"
# for 80 mentions after 1): the change is shown in mentions ("+79"), or "new".
SMALL_BASE = 10
# A point of the net sentiment needs this many mentions: with one a day it swings
# between -100 and +100. Thinner days are pooled with the days before (see _net).
NET_MIN = 5
NET_WINDOW = 7  # points pooled at most


@dataclass(frozen=True, order=True)
class Change:
    """A change from the previous period, as people can read it (dashboard_tags).

    `rank` orders changes in the portfolio: the percentage, or against a base of
    SMALL_BASE when the base is smaller, so that 1 -> 80 does not top every list."""

    rank: float
    diff: int
    before: int
    percent: int | None  # None when the base is too small for a percentage

    @property
    def is_new(self) -> bool:
        return self.before == 0 and self.diff > 0


def change(now: int, before: int) -> Change | None:
    """The change from the previous period; None when there was nothing either time.
    The one rule of trends: the dashboard and the portfolio both ask it."""
    if not now and not before:
        return None
    percent = round(100 * (now - before) / before) if before >= SMALL_BASE else None
    rank = 100 * (now - before) / max(before, SMALL_BASE)
    return Change(rank, now - before, before, percent)


def _totals(counter: Counter) -> dict:
    total = sum(counter[t] for t in TONES)
    positive, negative = counter["positive"], counter["negative"]
    return {
        "total": total,
        **{t: counter[t] for t in TONES},
        # No mention, no index: 50/100 would read as a verdict on nothing.
        "index": reputation_index(positive, negative) if total else None,
    }


def _net(points: list[dict]) -> list[int | None]:
    """Net sentiment per point, pooled with the points before it (NET_WINDOW at most)
    until NET_MIN mentions are in; None when even the window has fewer."""
    out = []
    for i in range(len(points)):
        positive = negative = total = 0
        for p in reversed(points[max(0, i - NET_WINDOW + 1) : i + 1]):
            positive, negative = positive + p["positive"], negative + p["negative"]
            total += p["total"]
            if total >= NET_MIN:
                break
        out.append(round(100 * (positive - negative) / total) if total >= NET_MIN else None)
    return out


def figures(org, period: Period) -> dict:
    names = list(TrackedName.objects.filter(organisation=org).only("pk", "code", "label", "kind"))
    own = [t.pk for t in names if not t.is_competitor]
    competitors = [t for t in names if t.is_competitor]
    prev = period.previous

    # Totals of both periods per name and tone (a few rows), then the own names'
    # series per day: a 90-day dashboard reads ~300 rows, not one per name and day.
    in_now = Q(day__gte=period.start)
    totals = (
        DailyCount.objects.filter(organisation=org, day__range=(prev.start, period.end))
        .values_list("tracked_name_id", "sentiment")
        .annotate(now=Sum("count", filter=in_now), before=Sum("count", filter=~in_now))
        .order_by()
    )
    now, before = Counter(), Counter()
    voice, voice_before = Counter(), Counter()  # tracked name id (0: own) -> n
    for tracked, tone, n_now, n_before in totals:
        key = 0 if tracked in own else tracked
        voice[key] += n_now or 0
        voice_before[key] += n_before or 0
        if key == 0:
            now[tone] += n_now or 0
            before[tone] += n_before or 0
    series = defaultdict(Counter)  # bucket -> tone -> n (own names)
    daily = (
        _own_in(DailyCount, org, own, period)
        .values_list("day", "sentiment")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for day, tone, n in daily:
        series[period.bucket_of(day)][tone] += n

    current, previous = _totals(now), _totals(before)
    both = current["index"] is not None and previous["index"] is not None
    current["index_delta"] = current["index"] - previous["index"] if both else None
    for key in ("total", "positive", "neutral", "negative"):
        current[f"{key}_change"] = change(current[key], previous[key])

    buckets = period.buckets()
    over_time = []
    for b in buckets:
        c = series.get(b, Counter())
        total = sum(c[t] for t in TONES)
        over_time.append({"day": b, **{t: c[t] for t in TONES}, "total": total})
    for point, net in zip(over_time, _net(over_time), strict=True):
        point["net"] = net

    share = _share(org, competitors, voice, voice_before)
    return {
        "own_names": [t for t in names if t.pk in own],
        "competitors": competitors,
        "current": current,
        "previous": previous,
        "over_time": over_time,
        "share": share,
        "sources": _top_sources(org, own, period),
        "authors": _top_authors(org, own, period),
        "aspects": _aspects(org, own, period, buckets),
    }


def _share(org, competitors, voice: Counter, voice_before: Counter) -> list[dict]:
    everyone = sum(voice.values())
    everyone_before = sum(voice_before.values())
    rows = [(org.name, 0, True)] + [(t.label, t.pk, False) for t in competitors]
    share = []
    for label, key, is_own in rows:
        pct = round(100 * voice[key] / everyone) if everyone else 0
        pct_before = round(100 * voice_before[key] / everyone_before) if everyone_before else None
        share.append(
            {"label": label, "own": is_own, "n": voice[key], "pct": pct, "pct_before": pct_before}
        )
    return share


def _own_in(model, org, own, period):
    return model.objects.filter(
        organisation=org, day__range=(period.start, period.end), tracked_name_id__in=own
    )


def _top_sources(org, own, period) -> list[dict]:
    rows = list(
        _own_in(DailySource, org, own, period)
        .values("source")
        .annotate(n=Sum("count"), negative=Sum("negative"))
        .order_by("-n", "source")[:TOP]
    )
    ids = [row["source"] for row in rows if row["source"]]
    # Whether it is still followed: only then can the inbox filter by it (figure_links).
    followed = Exists(Follow.objects.filter(organisation=org, source=OuterRef("pk")))
    sources = {
        s.pk: s
        for s in Source.objects.filter(pk__in=ids)
        .only("pk", "code", "title", "url")
        .annotate(followed=followed)
    }
    for row in rows:
        source = sources.get(row["source"])
        row["label"] = str(source) if source else ""
        row["code"] = source.code if source and source.followed else None
        row["negative"] = row["negative"] or 0
    return rows


def _top_authors(org, own, period) -> list[dict]:
    rows = (
        _own_in(DailyAuthor, org, own, period)
        .values("author")
        .annotate(n=Sum("count"), negative=Sum("negative"))
        .order_by("-n", "author")[:TOP]
    )
    return [{**row, "negative": row["negative"] or 0} for row in rows]


def _aspects(org, own, period, buckets) -> dict:
    rows = _own_in(DailyAspect, org, own, period)
    per_bucket = defaultdict(Counter)  # aspect -> bucket -> n
    for day, aspect, n in rows.values_list("day", "aspect").annotate(n=Sum("count")).order_by():
        per_bucket[aspect][period.bucket_of(day)] += n
    tones = defaultdict(Counter)  # aspect -> tone -> n
    by_tone = rows.values_list("aspect", "sentiment").annotate(n=Sum("count")).order_by()
    for aspect, tone, n in by_tone:
        tones[aspect][tone] += n
    aspects = [
        {
            "key": key,
            "label": str(label),
            "points": [per_bucket[key][b] for b in buckets],
            **{t: tones[key][t] for t in TONES},
        }
        for key, label in ASPECT_LABELS.items()
        if key in per_bucket
    ]
    return {"buckets": buckets, "rows": aspects}
