"""Keyset pagination of the inbox: fast on page 1 and on page 5,000 alike.

Pages are ordered by (published, id) or (priority, id), newest/highest first; the
cursor is the last row's pair. The next page is "strictly after that pair", which
an index on (organisation, -published, -id) answers directly, whereas OFFSET
would read and throw away every row before it. Ties on `published` are broken by
`id`, so no mention is shown twice nor skipped.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
PAGE_SIZE = 50


@dataclass
class Page:
    rows: list
    next_cursor: str  # empty on the last page


def _field(qs: QuerySet) -> str:
    return "priority" if qs.query.order_by and "priority" in qs.query.order_by[0] else "published"


def encode(row, field: str) -> str:
    value = getattr(row, field)
    if field == "published":
        # Whole microseconds: exact, where a float timestamp could round.
        value = (value - EPOCH) // MICROSECOND
    return f"{value}.{row.pk}"


def decode(cursor: str, field: str):
    """(value, id) from a cursor, or None if it is not one."""
    try:
        value, pk = (int(part) for part in cursor.split("."))
    except (AttributeError, ValueError):
        return None
    if field == "published":
        try:
            return EPOCH + value * MICROSECOND, pk
        except OverflowError:
            return None
    return value, pk


def paginate(qs: QuerySet, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of `qs` (ordered by inbox_queryset) after `cursor`."""
    field = _field(qs)
    key = decode(cursor, field) if cursor else None
    if key is not None:
        value, pk = key
        # The `lte` is redundant but lets the database walk the index from the cursor.
        qs = qs.filter(
            Q(**{f"{field}__lte": value}),
            Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk}),
        )
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, encode(rows[-1], field) if more and rows else "")
