"""Keeping the daily rollups up to date, one batch of mentions at a time.

- `add_mentions(mentions)` after mentions were bulk-created (some may have lost a
  race to another worker: only the rows this transaction inserted are counted,
  recognised by the public codes generated in Python);
- `move(mention, old, new)` when a person or re-scoring changes a sentiment;
- `rebuild(org)` recomputes an organisation's rows from its mentions (repair;
  `python manage.py rebuildrollups`).

Undated backlog: a source's first poll for an organisation often brings old entries
without a date (the reviews already on a page). Their mentions are dated the day they
were first seen and marked `published_known=False`; counted on that day they would
make today look like a storm. So the rollups leave out undated mentions that are not
news (`alertable` False: the first poll's backlog, history scans): the dashboard's
figures count what happened on each day, and those mentions are still in the inbox,
marked "date unknown". Undated mentions from later polls are new that day: counted.

Every change is an upsert `count = count + n` (INSERT ... ON CONFLICT DO UPDATE,
on PostgreSQL and SQLite alike): concurrent workers each add their share, and the
rows of a batch are written in key order so that two transactions never wait for
each other's rows in opposite orders (a deadlock on PostgreSQL).
"""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

# Only the rollup models: the mention model comes with the mentions (or the
# organisation's `mentions`), so that Mention.correct can call `move` without a cycle.
from reputation.dashboard.models import DailyAspect, DailyAuthor, DailyCount, DailySource

FIELDS = (
    "organisation_id",
    "tracked_name_id",
    "source_id",
    "sentiment",
    "published",
    "aspects",
    "author",
    "published_known",
    "alertable",
)
AUTHOR_MAX = DailyAuthor._meta.get_field("author").max_length
CHUNK = 500


def in_figures(row: dict) -> bool:
    """Whether a mention counts in the daily figures: not an undated backlog entry."""
    return row["published_known"] or row["alertable"]


def _zones(org_ids) -> dict[int, ZoneInfo]:
    organisation = DailyCount._meta.get_field("organisation").related_model
    orgs = organisation.objects.filter(pk__in=org_ids).only("pk", "time_zone")
    return {org.pk: org.zone for org in orgs}


class Delta:
    """Changes to the rollups, added up before one write per table."""

    def __init__(self):
        self.counts: Counter = Counter()  # (org, day, name, sentiment) -> n
        self.aspects: Counter = Counter()  # (org, day, name, aspect, sentiment) -> n
        self.sources: Counter = Counter()  # (org, day, name, source, "count"|"negative") -> n
        self.authors: Counter = Counter()  # (org, day, name, author, "count"|"negative") -> n

    def add(self, row: dict, tz: ZoneInfo, n: int = 1, sentiment: str | None = None) -> None:
        published: datetime = row["published"]
        day = published.astimezone(tz).date()
        base = (row["organisation_id"], day, row["tracked_name_id"])
        tone = sentiment or row["sentiment"]
        self.counts[(*base, tone)] += n
        for aspect in set(row["aspects"] or ()):
            self.aspects[(*base, str(aspect)[:16], tone)] += n
        author = (row["author"] or "").strip()[:AUTHOR_MAX]
        for counter, value in ((self.sources, row["source_id"] or 0), (self.authors, author)):
            if value == "":
                continue
            if sentiment is None:  # a new mention; a move leaves the count as it is
                counter[(*base, value, "count")] += n
            if tone == "negative":
                counter[(*base, value, "negative")] += n

    def write(self) -> None:
        with transaction.atomic(savepoint=False):
            _upsert(DailyCount, ["sentiment"], [], self.counts)
            _upsert(DailyAspect, ["aspect", "sentiment"], [], self.aspects)
            _upsert(DailySource, ["source"], ["negative"], _pairs(self.sources))
            _upsert(DailyAuthor, ["author"], ["negative"], _pairs(self.authors))


def _pairs(counter: Counter) -> dict:
    """{(..., value, "count"/"negative"): n} -> {(..., value): (count, negative)}."""
    out: dict = {}
    for (*key, column), n in counter.items():
        count, negative = out.get(tuple(key), (0, 0))
        out[tuple(key)] = (count + n, negative) if column == "count" else (count, negative + n)
    return out


def _upsert(model, columns: list[str], extra: list[str], changes: dict) -> None:
    """Add `changes` ({key: n} or {key: (count, *extra)}) to the rows of these keys."""
    rows = sorted(
        (key, n if isinstance(n, tuple) else (n,))
        for key, n in changes.items()
        if any(n if isinstance(n, tuple) else (n,))
    )
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    keys = ", ".join(["organisation_id", "day", "tracked_name_id", *columns])
    values = ["count", *extra]
    sets = ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in values)
    width = 3 + len(columns) + len(values)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            batch = rows[start : start + CHUNK]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(batch))
            params = [v for key, n in batch for v in (*key, *n)]
            cursor.execute(
                f"INSERT INTO {table} ({keys}, {', '.join(values)}) "  # noqa: S608
                f"VALUES {placeholders} ON CONFLICT ({keys}) DO UPDATE SET {sets}",
                params,
            )


def add_mentions(mentions, written=None, zones: dict | None = None) -> int:
    """Count mentions just bulk-created (call it in the same transaction); returns how
    many were counted. Those another transaction inserted first are not ours to count:
    `written`, the codes of the rows this insert wrote, says which are ours; without
    it they are read back by code. `zones`: organisation id -> its time zone, when
    the caller already read them; otherwise they are read here."""
    if not mentions:
        return 0
    delta, counted = Delta(), 0
    if written is not None:
        ours = set(written)
        rows = [{f: getattr(m, f) for f in FIELDS} for m in mentions if m.code in ours]
    else:
        model = type(mentions[0])
        codes = [m.code for m in mentions]
        rows = []
        for start in range(0, len(codes), CHUNK):
            rows += model.objects.filter(code__in=codes[start : start + CHUNK]).values(*FIELDS)
    org_ids = {row["organisation_id"] for row in rows}
    if zones is None or not org_ids <= zones.keys():
        zones = _zones(org_ids)
    for row in rows:
        if in_figures(row):
            delta.add(row, zones[row["organisation_id"]])
            counted += 1
    delta.write()
    return counted


def move(mention, old: str, new: str) -> None:
    """The mention's sentiment changed from `old` to `new`: move its counts."""
    if old == new:
        return
    row = type(mention).objects.filter(pk=mention.pk).values(*FIELDS).first()
    if row is None or not in_figures(row):
        return
    tz = _zones([row["organisation_id"]])[row["organisation_id"]]
    delta = Delta()
    delta.add(row, tz, -1, sentiment=old)
    delta.add(row, tz, +1, sentiment=new)
    delta.write()


@transaction.atomic
def rebuild(org) -> int:
    """Recompute the organisation's rollups from its mentions; returns their number.

    The mentions are grouped by the database (days in the organisation's time zone),
    so a million of them take seconds, not minutes. The old rows are deleted first
    and the new ones written with the same upsert: on PostgreSQL a mention created
    meanwhile is either seen here (its transaction committed before) or adds itself
    afterwards, on top of the rebuilt rows.
    """
    for model in (DailyCount, DailyAspect, DailySource, DailyAuthor):
        model.objects.filter(organisation=org).delete()
    tz = org.zone
    # As in_figures: the undated backlog is not counted.
    mentions = org.mentions.counted().annotate(d=TruncDate("published", tzinfo=tz))
    keys = ("d", "tracked_name_id", "sentiment")
    negative = Count("pk", filter=Q(sentiment="negative"))
    delta, total, sources, authors = Delta(), 0, {}, {}
    for row in mentions.values(*keys).annotate(n=Count("pk")).order_by():
        delta.counts[(org.pk, row["d"], row["tracked_name_id"], row["sentiment"])] += row["n"]
        total += row["n"]
    by_source = mentions.values("d", "tracked_name_id", "source_id")
    for row in by_source.annotate(n=Count("pk"), neg=negative).order_by():
        key = (org.pk, row["d"], row["tracked_name_id"], row["source_id"] or 0)
        sources[key] = _plus(sources.get(key), row)
    by_author = mentions.exclude(author="").values("d", "tracked_name_id", "author")
    for row in by_author.annotate(n=Count("pk"), neg=negative).order_by():
        author = row["author"].strip()[:AUTHOR_MAX]
        if author:  # two spellings of one author (trailing spaces) become one row
            key = (org.pk, row["d"], row["tracked_name_id"], author)
            authors[key] = _plus(authors.get(key), row)
    with_aspects = mentions.exclude(aspects=[]).values(*keys, "aspects")
    for row in with_aspects.annotate(n=Count("pk")).order_by():
        for aspect in set(row["aspects"] or ()):
            key = (org.pk, row["d"], row["tracked_name_id"], str(aspect)[:16], row["sentiment"])
            delta.aspects[key] += row["n"]
    with transaction.atomic(savepoint=False):
        _upsert(DailyCount, ["sentiment"], [], delta.counts)
        _upsert(DailyAspect, ["aspect", "sentiment"], [], delta.aspects)
        _upsert(DailySource, ["source"], ["negative"], sources)
        _upsert(DailyAuthor, ["author"], ["negative"], authors)
    return total


def _plus(pair, row) -> tuple[int, int]:
    count, negative = pair or (0, 0)
    return count + row["n"], negative + row["neg"]
