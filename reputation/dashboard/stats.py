"""Figures for the dashboard, always scoped to one organisation."""

import statistics
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.mentions.models import Mention

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
# The latest new mentions are enough for a median, and the newest first walk the
# (organisation, -published) index: no join over the whole item table.
SAMPLE = 300


def detection_delay(organisation, days: int = 30) -> timedelta | None:
    """Median time from publication to collection of new mentions (not the backfill)."""
    since = timezone.now() - timedelta(days=days)
    # The mention's own dates: its source's publication date, and when it was found.
    pairs = (
        Mention.objects.filter(
            organisation=organisation, alertable=True, published_known=True, published__gte=since
        )
        .order_by("-published")
        .values_list("published", "created")[:SAMPLE]
    )
    delays = [max(0.0, (collected - published).total_seconds()) for published, collected in pairs]
    if not delays:
        return None
    return timedelta(seconds=statistics.median(delays))
