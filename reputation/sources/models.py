"""Following a source: an organisation reads what a collected source brings."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from monitoring.models import SourceState
from reputation.orgs.models import Organisation


def in_error() -> Q:
    """Follows whose source is in error: failing checks, or paused after too many
    (the portfolio's "sources in error" and the sources page's filter)."""
    return Q(source__error_count__gt=0) | Q(source__state=SourceState.PAUSED)


class Follow(models.Model):
    """An organisation watches a source."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="follows")
    source = models.ForeignKey("monitoring.Source", models.CASCADE, related_name="follows")
    # Items published before this moment fill the history but do not alert.
    created = models.DateTimeField(default=timezone.now)
    # The organisation's own settings: its name for the source, and for a search the
    # preset and tracked name it was built from. Never shown to another follower.
    name = models.CharField(max_length=200, blank=True)
    preset = models.CharField(max_length=40, blank=True)
    tracked_name = models.ForeignKey(
        "names.TrackedName", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source"], name="unique_follow")
        ]

    def __str__(self) -> str:
        return self.name or str(self.source)
