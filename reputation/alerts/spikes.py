"""Crisis detection for small numbers: is today's count of bad mentions unusual?

Rules built on means and standard deviations need large counts: a bakery with one
bad review a month has a standard deviation near zero, and two bad reviews in a
day are either "infinitely" unusual or drowned in noise. Counts of rare events
follow a Poisson law, so we ask: if bad mentions kept arriving at the recent
baseline rate, how likely would at least this many be in the last 24 hours?

    rate  = (negative mentions in the previous d days + 1) / (d + 1)   per day,
            d = 28, or the organisation's age in days when younger
    p     = P(X >= k)  for X ~ Poisson(rate),  k = negatives in the last 24 h
    spike = k >= ALERT_SPIKE_MIN_COUNT and p < ALERT_SPIKE_PROBABILITY

The "+1" is a prior of one mention over the period: an organisation with a quiet
month behind it alerts on two bad mentions in a day; a brand-new one, whose rate
is still unknown (1 a day by the prior), only on five. The probability threshold
is low (0.0025) because the test is repeated every day: about one false alarm a
year of ordinary days, while one bad mention in the last month still makes two in
a day a spike. One
alert per spike: the organisation's `spike_since` is set when it fires, and only
cleared once the count is back to normal (p above ten times the threshold).
See docs/alerts.md.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from reputation.mentions.models import Mention, Sentiment
from reputation.orgs.models import Organisation

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


def decide(k: int, baseline_count: int, active: bool, days: int) -> tuple[bool, bool]:
    """(alert now, spike active afterwards): one alert per spike, the state machine
    `check` applies to the database and the tests to generated series."""
    spike, _ = is_spike(k, baseline_count, days)
    if spike:
        return (not active), True
    if active and not is_normal(k, baseline_count, days):
        return False, True
    return False, False


def replay(daily_counts: list[int]) -> list[int]:
    """Days of a series of daily negative counts on which an alert would fire."""
    fired, active = [], False
    for day, k in enumerate(daily_counts):
        history = daily_counts[max(0, day - BASELINE_DAYS) : day]
        alert, active = decide(k, sum(history), active, len(history))
        if alert:
            fired.append(day)
    return fired


@dataclass
class Spike:
    count: int
    expected: float
    probability: float
    drivers: dict = field(default_factory=dict)  # names, sources, aspects: top three each
    mention_ids: list = field(default_factory=list)


def measure(organisation_id: int, now: datetime) -> tuple[int, int, int, list]:
    """(negatives in the last 24 h that may alert, negatives in the baseline, days of
    baseline, the former). A young organisation has fewer days of history."""
    # A competitor's bad press is no crisis of the organisation's.
    negative = Mention.objects.own().filter(
        organisation_id=organisation_id, sentiment=Sentiment.NEGATIVE
    )
    start = now - WINDOW
    recent = list(
        negative.filter(published__gte=start, published__lte=now, alertable=True).select_related(
            "tracked_name", "source"
        )
    )
    created = Organisation.objects.filter(pk=organisation_id).values_list("created", flat=True)
    age = (start - created[0]).days if created else BASELINE_DAYS
    days = max(0, min(BASELINE_DAYS, age))
    baseline = negative.filter(
        published__gte=start - timedelta(days=days), published__lt=start
    ).count()
    return len(recent), baseline, days, recent


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
    k, baseline, days, recent = measure(alert_settings.organisation_id, now)
    active = alert_settings.spike_since is not None
    alert, still = decide(k, baseline, active, days)
    if active and not still:
        alert_settings.spike_since = None
        alert_settings.save(update_fields=["spike_since"])
    if not alert:
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
        expected=round(baseline_rate(baseline, days), 2),
        probability=tail_probability(k, baseline_rate(baseline, days)),
        drivers=drivers(recent),
        mention_ids=[m.pk for m in recent],
    )
