"""Figures for the dashboard, always scoped to one organisation."""

import statistics
from collections import Counter
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.models import Mention, Sentiment

# Labels of the aspect keys of monitoring/sentiment/aspects.py, for people.
ASPECT_LABELS = {
    "reception": _("Reception"),
    "price": _("Price"),
    "delays": _("Delays"),
    "quality": _("Quality"),
    "after_sales": _("After-sales"),
    "staff": _("Staff"),
    "hygiene": _("Hygiene"),
}
SAMPLE = 5000


def aspects_summary(organisation, days: int = 90) -> list[dict]:
    """What people praise and complain about: mentions per aspect and tone."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        Mention.objects.filter(organisation=organisation, published__gte=since)
        .exclude(sentiment=Sentiment.NEUTRAL)
        .exclude(aspects=[])
        .values_list("sentiment", "aspects")
        .order_by("-published")[:SAMPLE]
    )
    counts: Counter = Counter()
    for sentiment, aspects in rows:
        for aspect in aspects or ():
            counts[(aspect, sentiment)] += 1
    summary = []
    for key, label in ASPECT_LABELS.items():
        negative = counts[(key, Sentiment.NEGATIVE)]
        positive = counts[(key, Sentiment.POSITIVE)]
        if negative or positive:
            summary.append({"key": key, "label": label, "negative": negative, "positive": positive})
    summary.sort(key=lambda row: (-row["negative"], -row["positive"]))
    return summary


def detection_delay(organisation, days: int = 30) -> timedelta | None:
    """Median time from publication to collection of new mentions (not the backfill)."""
    since = timezone.now() - timedelta(days=days)
    pairs = (
        Mention.objects.filter(
            organisation=organisation,
            alertable=True,
            published__gte=since,
            item__published_known=True,
        )
        .values_list("item__published", "item__collected")
        .order_by("-published")[:SAMPLE]
    )
    delays = [max(0.0, (collected - published).total_seconds()) for published, collected in pairs]
    if not delays:
        return None
    return timedelta(seconds=statistics.median(delays))
