"""Keeping the daily rollups up to date, one batch of mentions at a time.

- `add_mentions(mentions)` after mentions were bulk-created (some may have lost a
  race to another worker: only the rows this transaction inserted are counted,
  recognised by the public codes generated in Python);
- `move(mention, old, new)` when a person or re-scoring changes a sentiment;
- `rebuild(org)` recomputes an organisation's rows from its mentions (repair;
  `python manage.py rebuildrollups`).

Every change is an upsert `count = count + n` (INSERT ... ON CONFLICT DO UPDATE,
on PostgreSQL and SQLite alike): concurrent workers each add their share, and the
rows of a batch are written in key order so that two transactions never wait for
each other's rows in opposite orders (a deadlock on PostgreSQL).
"""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from reputation.models import DailyAspect, DailyAuthor, DailyCount, Mention, Organisation

FIELDS = (
    "organisation_id",
    "tracked_name_id",
    "source_id",
    "sentiment",
    "published",
    "aspects",
    "item__author",
)
AUTHOR_MAX = DailyAuthor._meta.get_field("author").max_length
CHUNK = 500


def org_tz(org) -> ZoneInfo:
    """The time zone in which the organisation's days begin and end."""
    return ZoneInfo(getattr(org, "time_zone", "") or settings.TIME_ZONE)


def _zones(org_ids) -> dict[int, ZoneInfo]:
    if not any(f.name == "time_zone" for f in Organisation._meta.get_fields()):
        return {pk: org_tz(None) for pk in org_ids}
    orgs = Organisation.objects.filter(pk__in=org_ids).only("pk", "time_zone")
    return {org.pk: org_tz(org) for org in orgs}


class Delta:
    """Changes to the three rollups, added up before one write per table."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.aspects: Counter = Counter()
        self.authors: Counter = Counter()

    def add(self, row: dict, tz: ZoneInfo, n: int = 1, sentiment: str | None = None) -> None:
        published: datetime = row["published"]
        day = published.astimezone(tz).date()
        org, tracked = row["organisation_id"], row["tracked_name_id"]
        tone = sentiment or row["sentiment"]
        self.counts[(org, day, tracked, row["source_id"] or 0, tone)] += n
        for aspect in set(row["aspects"] or ()):
            self.aspects[(org, day, tracked, str(aspect)[:16], tone)] += n
        author = (row["item__author"] or "").strip()[:AUTHOR_MAX]
        if author:
            self.authors[(org, day, tracked, author, tone)] += n

    def write(self) -> None:
        with transaction.atomic(savepoint=False):
            _upsert(DailyCount, "source", self.counts)
            _upsert(DailyAspect, "aspect", self.aspects)
            _upsert(DailyAuthor, "author", self.authors)


def _upsert(model, column: str, counter: Counter) -> None:
    rows = sorted((key, n) for key, n in counter.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    keys = f"organisation_id, day, tracked_name_id, {column}, sentiment"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            batch = rows[start : start + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            params = [v for key, n in batch for v in (*key, n)]
            cursor.execute(
                f"INSERT INTO {table} ({keys}, count) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({keys}) DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )


def add_mentions(mentions) -> int:
    """Count mentions just bulk-created (call it in the same transaction); returns how
    many were counted. Those another transaction inserted first are not ours to count."""
    codes = [m.code for m in mentions]
    delta, counted = Delta(), 0
    rows = []
    for start in range(0, len(codes), CHUNK):
        rows += Mention.objects.filter(code__in=codes[start : start + CHUNK]).values(*FIELDS)
    zones = _zones({row["organisation_id"] for row in rows})
    for row in rows:
        delta.add(row, zones[row["organisation_id"]])
        counted += 1
    delta.write()
    return counted


def move(mention: Mention, old: str, new: str) -> None:
    """The mention's sentiment changed from `old` to `new`: move its counts."""
    if old == new:
        return
    row = Mention.objects.filter(pk=mention.pk).values(*FIELDS).first()
    if row is None:
        return
    tz = _zones([row["organisation_id"]])[row["organisation_id"]]
    delta = Delta()
    delta.add(row, tz, -1, sentiment=old)
    delta.add(row, tz, +1, sentiment=new)
    delta.write()


@transaction.atomic
def rebuild(org) -> int:
    """Recompute the organisation's rollups from its mentions; returns their number.

    The old rows are deleted first and the new ones written with the same upsert:
    on PostgreSQL a mention created meanwhile is either seen here (its transaction
    committed before) or adds itself afterwards, on top of the rebuilt rows.
    """
    for model in (DailyCount, DailyAspect, DailyAuthor):
        model.objects.filter(organisation=org).delete()
    tz = org_tz(org)
    delta, n = Delta(), 0
    rows = Mention.objects.filter(organisation=org).values(*FIELDS).order_by()
    for row in rows.iterator(chunk_size=5000):
        delta.add(row, tz)
        n += 1
    delta.write()
    return n
