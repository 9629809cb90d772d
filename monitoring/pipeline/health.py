"""A source's health as shown to users: is it silent, and why is it paused.

"Silent" means the polls succeed but nothing new has arrived for much longer than
the source's own rhythm: a blog posting weekly is not silent after three days, a
news feed posting hourly is after a week. The rhythm is the median gap between the
recent dated items (the median, so that one holiday break does not set it).
"""

from datetime import datetime, timedelta

from django.db.models import Prefetch

from monitoring.models import Sighting, Source

# Never call a source silent before this: many small sites post weekly at best.
SILENT_FLOOR = timedelta(days=7)
# ... nor before this many usual gaps have passed without anything new.
SILENT_GAPS = 4
# The rhythm is read from this many recent dated items.
RHYTHM_ITEMS = 20


def recent_published(source: Source, limit: int = RHYTHM_ITEMS) -> list[datetime]:
    """Publication dates of the newest dated items the source carried.

    Every source that carries an item has a sighting of it, with the date that
    source gave: an alert feed whose items mostly appeared in news feeds first still
    has its own rhythm.
    """
    dated = Sighting.objects.filter(source=source, published_known=True).order_by("-published")
    return _newest(set(dated.values_list("published", flat=True)[:limit]), limit)


def _newest(dates, limit: int) -> list[datetime]:
    return sorted(dates, reverse=True)[:limit]


def prefetch_recent_published(path: str = "", limit: int = RHYTHM_ITEMS) -> list[Prefetch]:
    """For list pages: what recent_published reads, for many sources in two queries.

    `path` leads to the sources ("source__" from follows); read the result back with
    prefetched_published(source). Sliced prefetches run as one window query each.
    """
    return [
        Prefetch(
            path + "sightings",
            queryset=Sighting.objects.filter(published_known=True)
            .only("id", "source_id", "published")
            .order_by("-published")[:limit],
            to_attr="recent_sightings",
        ),
    ]


def prefetched_published(source: Source, limit: int = RHYTHM_ITEMS) -> list[datetime]:
    return _newest({s.published for s in source.recent_sightings}, limit)


def usual_gap(published: list[datetime]) -> timedelta | None:
    """The median gap between consecutive dates; None with fewer than two dates."""
    dates = sorted(p for p in published if p is not None)[-RHYTHM_ITEMS:]
    gaps = sorted(b - a for a, b in zip(dates, dates[1:], strict=False))
    if not gaps:
        return None
    return gaps[len(gaps) // 2]


def last_activity(source: Source, published: list[datetime]) -> datetime | None:
    """The last sign of life: the newest publication, or a new item without a date."""
    dates = [d for d in [source.last_item_at, *published] if d is not None]
    return max(dates) if dates else None


def last_published(published: list[datetime]) -> datetime | None:
    """When the source last published (its newest dated item), not when we collected."""
    return max(published) if published else None


def silence_threshold(published: list[datetime]) -> timedelta | None:
    gap = usual_gap(published)
    if gap is None:
        return None
    return max(SILENT_FLOOR, gap * SILENT_GAPS)


def is_silent(source: Source, now: datetime, published: list[datetime] | None = None) -> bool:
    """True when a source that used to publish has gone quiet for far longer than usual.

    `published` are the dates of its recent items; read from the database when not
    given (list pages pass them, prefetched for every source in one query). A source
    whose polls fail is not "silent": its error is what the user needs to see.
    """
    if source.last_success_at is None or source.error_count:
        return False
    if published is None:
        published = recent_published(source)
    threshold = silence_threshold(published)
    last = last_activity(source, published)
    if threshold is None or last is None:
        return False  # no rhythm yet: it has not published enough to tell
    return now - last > threshold
