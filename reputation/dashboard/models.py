"""Daily rollups of mentions, per organisation, for the dashboard and the portfolio.

Each row is a count of mentions for one day (in the organisation's time zone) and
one combination of dimensions. Rows are only ever incremented or decremented by
rollups.py (an upsert with `count = count + n`), so two workers adding mentions
at once both count. `rebuild` recomputes them from the mentions for repair.

`source` and `author` are plain values, not foreign keys: a unique constraint
treats NULLs as distinct on PostgreSQL (two "no source" rows would never merge),
and a count must survive the deletion of its source ("history is never lost").
0 means "no source", "" "no author".
"""

from django.db import models


class DailyCount(models.Model):
    """Mentions per day, tracked name, source and sentiment."""

    organisation = models.ForeignKey(
        "reputation.Organisation", models.CASCADE, related_name="daily_counts"
    )
    day = models.DateField()
    tracked_name = models.ForeignKey("reputation.TrackedName", models.CASCADE, related_name="+")
    source = models.BigIntegerField(default=0)  # monitoring.Source id, 0: none
    sentiment = models.CharField(max_length=8)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "tracked_name", "source", "sentiment"],
                name="unique_daily_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} {self.source} {self.sentiment}: {self.count}"


class DailyAspect(models.Model):
    """Mentions per day, tracked name, aspect (reception, price...) and sentiment."""

    organisation = models.ForeignKey(
        "reputation.Organisation", models.CASCADE, related_name="daily_aspects"
    )
    day = models.DateField()
    tracked_name = models.ForeignKey("reputation.TrackedName", models.CASCADE, related_name="+")
    aspect = models.CharField(max_length=16)
    sentiment = models.CharField(max_length=8)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "tracked_name", "aspect", "sentiment"],
                name="unique_daily_aspect",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} {self.aspect} {self.sentiment}: {self.count}"


class DailyAuthor(models.Model):
    """Mentions per day, tracked name, author and sentiment (items with an author only)."""

    organisation = models.ForeignKey(
        "reputation.Organisation", models.CASCADE, related_name="daily_authors"
    )
    day = models.DateField()
    tracked_name = models.ForeignKey("reputation.TrackedName", models.CASCADE, related_name="+")
    author = models.CharField(max_length=300)
    sentiment = models.CharField(max_length=8)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "tracked_name", "author", "sentiment"],
                name="unique_daily_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} {self.author} {self.sentiment}: {self.count}"
