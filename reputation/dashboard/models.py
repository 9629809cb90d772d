"""Daily rollups of mentions, per organisation, for the dashboard and the portfolio.

Each row counts mentions for one day (in the organisation's time zone) and one
combination of dimensions. Rows are only ever incremented or decremented by
rollups.py (an upsert `count = count + n`), so two workers adding mentions at once
both count; `rebuild` recomputes them from the mentions for repair.

Tables are kept narrow because the dashboard sums up to 180 days of them per
request: sentiment is a dimension only where the charts need it; the top lists
(sources, authors) carry the number of negative mentions as a second count instead.

The unique keys start with (organisation, tracked name, day): the dashboard asks for
the own names over a range of days, which is then one index range per name.

`source` and `author` are plain values, not foreign keys: a unique constraint
treats NULLs as distinct on PostgreSQL (two "no source" rows would never merge),
and a count must survive the deletion of its source ("history is never lost").
0 means "no source". Every row keeps its tracked name, so deleting a name (and its
mentions) deletes its counts, and a name that becomes a competitor moves at once.
"""

from django.db import models


class _Daily(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", models.CASCADE, related_name="+")
    day = models.DateField()
    tracked_name = models.ForeignKey("names.TrackedName", models.CASCADE, related_name="+")
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyCount(_Daily):
    """Mentions per day, tracked name and sentiment: totals, time series, share of voice."""

    sentiment = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tracked_name", "day", "sentiment"],
                name="unique_daily_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} {self.sentiment}: {self.count}"


class DailySource(_Daily):
    """Mentions (and negative ones) per day, tracked name and source."""

    source = models.BigIntegerField(default=0)  # monitoring.Source id, 0: none
    negative = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tracked_name", "day", "source"],
                name="unique_daily_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} source {self.source}: {self.count}"


class DailyAuthor(_Daily):
    """Mentions (and negative ones) per day, tracked name and author (signed items only)."""

    author = models.CharField(max_length=300)
    negative = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tracked_name", "day", "author"],
                name="unique_daily_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} {self.author}: {self.count}"


class DailyAspect(_Daily):
    """Mentions per day, tracked name, aspect (reception, price...) and sentiment."""

    aspect = models.CharField(max_length=16)
    sentiment = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tracked_name", "day", "aspect", "sentiment"],
                name="unique_daily_aspect",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.tracked_name_id} {self.aspect} {self.sentiment}: {self.count}"
