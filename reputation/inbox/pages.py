"""Keyset pagination of the inbox: fast on page 1 and on page 5,000 alike.

Pages are ordered by (published, id) or (priority, id), newest/highest first; the
cursor is the last row's pair. The next page is "strictly after that pair", which
an index on (organisation, -published, -id) answers directly, whereas OFFSET
would read and throw away every row before it. Ties on `published` are broken by
`id`, so no mention is shown twice nor skipped.
"""

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from uuid import UUID

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
PAGE_SIZE = 50
PLACEHOLDER = UUID(int=0)  # a mention's code in an address reversed once
PROBE = -(2**62)  # an organisation's id that none has (paginate_across)


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


def after(qs: QuerySet, cursor: str, field: str) -> QuerySet:
    """The rows of `qs` strictly after the cursor (all of them without one)."""
    key = decode(cursor, field) if cursor else None
    if key is None:
        return qs
    value, pk = key
    # The `lte` is redundant but lets the database walk the index from the cursor.
    return qs.filter(
        Q(**{f"{field}__lte": value}),
        Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk}),
    )


def paginate(qs: QuerySet, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of `qs` (ordered by inbox_queryset) after `cursor`."""
    field = _field(qs)
    rows = list(after(qs, cursor, field)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, encode(rows[-1], field) if more and rows else "")


def paginate_across(
    inbox, orgs: list, cursor: str = "", size: int = PAGE_SIZE, rows: QuerySet = None
) -> Page:
    """One page across several organisations after `cursor`: `inbox(org)` is one
    organisation's filtered, ordered mentions (filter_mentions), `rows` all of them
    with what the page displays (joins, annotations), read for the page's ids only.

    "organisation IN (20 clients) ORDER BY published" has no index to walk in order
    once other organisations' rows fill the table: the database would read every
    client's rows, or the whole table's. Instead each client's next `size + 1` keys
    come from its own (organisation, -published, -id) index, in one UNION ALL where
    the database allows it, and the page is their merge.
    """
    if not orgs:
        return Page([], "")
    field = _field(inbox(orgs[0]))
    if connection.features.supports_slicing_ordering_in_compound:
        parts = _key_queries(inbox, orgs, cursor, field, size)
        with connection.cursor() as db:
            db.execute(
                " UNION ALL ".join(f"({sql})" for sql, _params in parts),
                [value for _sql, params in parts for value in params],
            )
            keys = db.fetchall()
    else:  # SQLite: one small query per client
        keys = [key for org in orgs for key in _keys(inbox(org), cursor, field, size)]
    keys = sorted(keys, reverse=True)[: size + 1]
    found = rows.in_bulk([pk for _value, pk in keys])
    page = [found[pk] for _value, pk in keys if pk in found]
    more = len(page) > size
    page = page[:size]
    return Page(page, encode(page[-1], field) if more and page else "")


def _key_queries(inbox, orgs: list, cursor: str, field: str, size: int) -> list:
    """(sql, params) of each organisation's next `size + 1` keys.

    The queries differ by the organisation's id, and by its time zone where dates
    are filtered (filter_mentions reads nothing else of it): each is built and
    compiled once per time zone, for an organisation no one has (PROBE), and each
    client's id put in that parameter's place. Building and compiling twenty
    querysets was over half the CPU of the cross-client inbox. Where the probe's id
    is not found exactly once (a cursor that happens to hold it), each client's
    query is compiled as it is."""
    compiled, parts = {}, []
    for org in orgs:
        if org.time_zone not in compiled:
            probe = copy.copy(org)
            probe.pk = PROBE
            sql, params = _keys(inbox(probe), cursor, field, size).query.sql_with_params()
            where = [i for i, value in enumerate(params) if value == PROBE]
            compiled[org.time_zone] = (sql, list(params), where)
        sql, params, where = compiled[org.time_zone]
        if len(where) == 1:
            params = params.copy()
            params[where[0]] = org.pk
            parts.append((sql, params))
        else:
            parts.append(_keys(inbox(org), cursor, field, size).query.sql_with_params())
    return parts


def _keys(qs: QuerySet, cursor: str, field: str, size: int) -> QuerySet:
    return after(qs, cursor, field).values_list(field, "id")[: size + 1]


def detail_links(rows, here: str) -> None:
    """Each row's `detail_url`: its mention's page, with the way back to `here`.

    The address is reversed once per organisation and the mention's code put in its
    place (reversing it for each of fifty rows cost several ms of the page's CPU);
    `back` is quoted as the template's `urlencode` filter quotes it."""
    back = "?back=" + quote(here, safe="/")
    prefixes = {}
    for row in rows:
        org = row.organisation_id
        if org not in prefixes:
            url = reverse("mention-detail", args=[row.organisation.code, PLACEHOLDER])
            prefixes[org] = url.rpartition(str(PLACEHOLDER))
        head, _code, tail = prefixes[org]
        row.detail_url = f"{head}{row.code}{tail}{back}"
