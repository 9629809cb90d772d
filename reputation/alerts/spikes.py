"""Crisis detection for small numbers: is today's count of bad mentions unusual?

Rules built on means and standard deviations need large counts: a bakery with one
bad review a month has a standard deviation near zero, and two bad reviews in a
day are either "infinitely" unusual or drowned in noise. Counts of rare events
follow a Poisson law, so we ask: if bad mentions kept arriving at the recent
baseline rate, how likely would at least this many be in the last 24 hours?

    rate  = (negative mentions in the previous 28 days + 1) / 29   per day
    p     = P(X >= k)  for X ~ Poisson(rate),  k = negatives in the last 24 h
    spike = k >= ALERT_SPIKE_MIN_COUNT and p < ALERT_SPIKE_PROBABILITY

The "+1 over 29 days" is a prior of one mention a month: an organisation without
history does not alert on its first bad mention, but does on two in a day. One
alert per spike: the organisation's `spike_since` is set when it fires, and only
cleared once the count is back to normal (p above ten times the threshold).
See docs/alerts.md.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from reputation.models import Mention, Sentiment

BASELINE_DAYS = 28
WINDOW = timedelta(hours=24)


def tail_probability(k: int, rate: float) -> float:
    """P(X >= k) for X ~ Poisson(rate), summed exactly (k is small)."""
    if k <= 0:
        return 1.0
    term = math.exp(-rate)
    below = term
    for i in range(1, k):
        term *= rate / i
        below += term
    return max(0.0, 1.0 - below)


def baseline_rate(baseline_count: int, days: int = BASELINE_DAYS) -> float:
    return (baseline_count + 1) / (days + 1)


def is_spike(k: int, baseline_count: int, days: int = BASELINE_DAYS) -> tuple[bool, float]:
    p = tail_probability(k, baseline_rate(baseline_count, days))
    return k >= settings.ALERT_SPIKE_MIN_COUNT and p < settings.ALERT_SPIKE_PROBABILITY, p


def is_normal(k: int, baseline_count: int, days: int = BASELINE_DAYS) -> bool:
    """Back to normal: the hysteresis that keeps one long spike to one alert."""
    p = tail_probability(k, baseline_rate(baseline_count, days))
    return p >= settings.ALERT_SPIKE_PROBABILITY * 10


@dataclass
class Spike:
    count: int
    expected: float
    probability: float
    drivers: dict = field(default_factory=dict)  # names, sources, aspects: top three each
    mention_ids: list = field(default_factory=list)


def measure(organisation_id: int, now: datetime) -> tuple[int, int, list]:
    """(negatives in the last 24 h that may alert, negatives in the baseline, the former)."""
    negative = Mention.objects.filter(organisation_id=organisation_id, sentiment=Sentiment.NEGATIVE)
    start = now - WINDOW
    recent = list(
        negative.filter(published__gte=start, published__lte=now, alertable=True).select_related(
            "tracked_name", "source"
        )
    )
    baseline = negative.filter(
        published__gte=start - timedelta(days=BASELINE_DAYS), published__lt=start
    ).count()
    return len(recent), baseline, recent


def drivers(mentions) -> dict:
    """What drove the spike: the names, sources and aspects most present."""
    names = Counter(m.tracked_name.label for m in mentions)
    sources = Counter((m.source.title or m.source.url) if m.source_id else "" for m in mentions)
    aspects = Counter(a for m in mentions for a in (m.aspects or ()))
    sources.pop("", None)
    return {
        "names": names.most_common(3),
        "sources": sources.most_common(3),
        "aspects": aspects.most_common(3),
    }


def check(alert_settings, now: datetime) -> Spike | None:
    """A new spike of the organisation (None if none, or if this one was told already)."""
    k, baseline, recent = measure(alert_settings.organisation_id, now)
    spike, p = is_spike(k, baseline)
    if not spike:
        if alert_settings.spike_since and is_normal(k, baseline):
            alert_settings.spike_since = None
            alert_settings.save(update_fields=["spike_since"])
        return None
    # Conditional UPDATE: of two scans at the same moment, one tells the spike.
    claimed = (
        type(alert_settings)
        .objects.filter(pk=alert_settings.pk, spike_since__isnull=True)
        .update(spike_since=now)
    )
    if not claimed:
        return None  # the same spike, already told
    alert_settings.spike_since = now
    return Spike(
        count=k,
        expected=round(baseline_rate(baseline), 2),
        probability=p,
        drivers=drivers(recent),
        mention_ids=[m.pk for m in recent],
    )
