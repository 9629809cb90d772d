"""Polling: claim due sources, fetch them concurrently, store items, record mentions.

The stages are plain functions (fetch, parse, store, mentions) so that Celery
tasks, the `poll` command, tests and benchmarks all run the same code.

Concurrency safety does not depend on the broker: a source is claimed with a
conditional UPDATE that sets a lease token, and only the holder of the token polls
it. A worker that dies mid-poll leaves the lease to expire; the next dispatch
claims the source again (and with Redis, the unacknowledged message is delivered
again, finds its token still valid, and finishes the poll). Unique constraints on
items, sightings and mentions make a repeated poll create nothing twice.
"""

import contextlib
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from monitoring import follow, schedule
from monitoring.budget import time_budget
from monitoring.canonical import canonical_url, fingerprint, sha1
from monitoring.fetch import fetch_as_completed
from monitoring.mentions import prepare_mentions, save_mentions
from monitoring.models import Follow, Item, PollLog, Sighting, Source, SourceKind, SourceState
from monitoring.parse import parse
from monitoring.sanitize import clean_text, safe_url
from monitoring.sentiment import from_rating
from monitoring.types import Entry, FetchRequest, FetchResult, SourceError

log = logging.getLogger(__name__)

# Keep this many poll log rows per source for the health page; the older ones are
# deleted once in POLL_LOG_TRIM_EVERY polls (by the new row's id), not at every poll:
# a DELETE per poll was a twentieth of the polling time, for rows nobody reads.
POLL_LOG_KEEP = 20
POLL_LOG_TRIM_EVERY = 8

ACCEPT = {
    SourceKind.FEED: FetchRequest.accept,
    SourceKind.SEARCH: FetchRequest.accept,
    SourceKind.HTML: "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    SourceKind.FORUM: "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
}


@dataclass
class PollReport:
    source_id: int
    url: str
    items_found: int = 0
    items_new: int = 0
    mentions_new: int = 0
    not_modified: bool = False
    error: str = ""
    error_code: str = ""


# --- claiming -----------------------------------------------------------------------


def _unleased(now):
    return Q(leased_until__isnull=True) | Q(leased_until__lt=now)


def due_sources(now=None):
    """Active sources whose time has come, that someone follows, not leased."""
    now = now or timezone.now()
    followed = Exists(Follow.objects.filter(source=OuterRef("pk")))
    return (
        Source.objects.filter(state=SourceState.ACTIVE, next_fetch_at__lte=now)
        .filter(_unleased(now))
        .filter(followed)
        .order_by("next_fetch_at")
    )


def claim(source_ids, now=None) -> str:
    """Lease these sources to one new token; only the unleased ones are taken."""
    now = now or timezone.now()
    token = uuid.uuid4()
    Source.objects.filter(pk__in=list(source_ids)).filter(_unleased(now)).update(
        lease_token=token, leased_until=now + timedelta(seconds=settings.POLL_LEASE_SECONDS)
    )
    return str(token)


def dispatch_due_sources(now=None, limit: int = 5000) -> int:
    """Called by beat every minute: claim due sources in batches, one task per batch."""
    from monitoring.tasks import poll_sources

    now = now or timezone.now()
    ids = list(due_sources(now).values_list("pk", flat=True)[:limit])
    sent = 0
    size = settings.POLL_DISPATCH_BATCH
    for start in range(0, len(ids), size):
        token = claim(ids[start : start + size], now)
        poll_sources.delay(token)
        sent += 1
    if ids:
        log.info("dispatched %d due sources in %d tasks", len(ids), sent)
    return len(ids)


def release(source: Source, token: str) -> None:
    Source.objects.filter(pk=source.pk, lease_token=token).update(
        lease_token=None, leased_until=None
    )


# --- polling ------------------------------------------------------------------------


def poll_leased(token: str) -> list[PollReport]:
    """Poll every source still leased to `token` (a stale token polls nothing)."""
    now = timezone.now()
    sources = list(Source.objects.filter(lease_token=token, leased_until__gt=now))
    if not sources:
        return []
    requests = [
        FetchRequest(
            url=s.url,
            etag=s.etag,
            last_modified=s.last_modified,
            accept=ACCEPT.get(s.kind, FetchRequest.accept),
        )
        for s in sources
    ]
    reports: dict[int, PollReport] = {}

    def handle(index: int, result: FetchResult) -> None:
        source = sources[index]
        try:
            reports[index] = process(source, result)
        except SoftTimeLimitExceeded:
            # The task ran out of time on this source: it alone gets the error; the
            # sources not polled yet are handed back (below) for the next round.
            reports[index] = _record_error(source, "too_slow", _too_slow_message())
            raise
        except Exception as exc:  # a worker never dies on one bad source
            log.exception("polling %s failed", source.url)
            reports[index] = _record_error(source, "internal", _internal_message(exc))
        finally:
            release(source, token)

    # Each source is processed as soon as its answer is in, while the others are
    # still being fetched; except the sources whose articles are fetched too: they
    # wait for the batch's fetches to end, so that a site never gets its article
    # fetches on top of the batch's (the per-host limit holds within a fetch_many).
    later = []
    try:
        for index, result in fetch_as_completed(requests):
            if result.ok and not result.not_modified and follow.wants_follow(sources[index]):
                later.append((index, result))
            else:
                handle(index, result)
        for index, result in later:
            handle(index, result)
    except SoftTimeLimitExceeded:
        Source.objects.filter(lease_token=token).update(lease_token=None, leased_until=None)
        raise
    return [reports[i] for i in sorted(reports)]


def _too_slow_message() -> str:
    return gettext(
        "polling this source took longer than %(seconds)d s and was stopped: the page is too "
        "big or its selectors too costly"
    ) % {"seconds": settings.CELERY_TASK_SOFT_TIME_LIMIT}


def _one_commit():
    """One transaction per source on a database server: one commit instead of one
    per statement (a fifth faster end to end on PostgreSQL), and a poll stored whole
    or not at all. Not on SQLite: it has a single writer, and holding its lock through
    the matching and scoring would make the other workers wait (half as fast in the
    benchmark); there a poll writes in two short transactions, items then the rest."""
    if connection.vendor == "sqlite":
        return contextlib.nullcontext()
    return transaction.atomic()


def poll_now(sources) -> list[PollReport]:
    """Poll these sources now (the `poll` command); sources leased elsewhere are skipped."""
    token = claim([s.pk for s in sources])
    return poll_leased(token)


def _internal_message(exc: Exception) -> str:
    return f"an internal error stopped this poll ({type(exc).__name__}); it will be retried"


def process(source: Source, result: FetchResult) -> PollReport:
    started = time.monotonic()
    if not result.ok:
        return _record_error(
            source, result.error_code, result.error, result.status, result.retry_after
        )
    report = PollReport(source.pk, source.url, not_modified=result.not_modified)
    parsed = None
    if not result.not_modified:
        try:
            with time_budget(settings.POLL_PARSE_SECONDS):
                parsed = parse(source.kind, result, source.config)
        except SourceError as exc:
            return _record_error(source, exc.code, exc.message, result.status)
        # Bounded whatever the page holds: memory and time of a poll stay bounded too.
        del parsed.entries[settings.POLL_MAX_ITEMS :]
        report.items_found = len(parsed.entries)
        if follow.wants_follow(source):
            # Network calls: before the transaction, never inside it.
            follow.enrich(source, parsed.entries, _guid_hash)
    with _one_commit():
        new_items, sighted = [], []
        if parsed is not None:
            new_items, sighted = store_entries(source, parsed.entries)
        report.items_new = len(new_items)
        # Matching and scoring: CPU work, outside any write lock on SQLite.
        pending = prepare_mentions(source, sighted, new_items)
        # One write for the rest: on SQLite a short transaction of its own, on a
        # database server part of the source's transaction.
        with transaction.atomic(savepoint=False):
            report.mentions_new = save_mentions(pending)
            published = _update_source(source, parsed, new_items) if parsed is not None else []
            _record_success(source, result, report, published, started)
    return report


def _update_source(source: Source, parsed, new_items) -> list:
    if parsed.title and not source.title:
        source.title = clean_text(parsed.title)[:300]
    if parsed.site_url and not source.site_url:
        source.site_url = safe_url(parsed.site_url)[:2000]
    if new_items:
        source.last_item_at = timezone.now()
    return [e.published for e in parsed.entries]


def _record_success(source, result, report, published, started) -> None:
    now = timezone.now()
    source.interval = schedule.interval_after_success(source.interval, report.items_new, published)
    source.next_fetch_at = now + schedule.jitter(source.interval)
    source.last_fetch_at = source.last_success_at = now
    source.last_status = result.status
    source.etag = result.headers.get("etag", "")[:500]
    source.last_modified = result.headers.get("last-modified", "")[:100]
    source.error_count = 0
    source.last_error = source.last_error_code = ""
    if not report.not_modified:
        source.items_last_poll = report.items_found
    source.save(
        update_fields=[
            "title",
            "site_url",
            "interval",
            "next_fetch_at",
            "last_fetch_at",
            "last_success_at",
            "last_status",
            "etag",
            "last_modified",
            "error_count",
            "last_error",
            "last_error_code",
            "items_last_poll",
            "last_item_at",
        ]
    )
    _log_poll(source, now, started, result.status, report)


def _record_error(source, code, message, status=None, retry_after=None) -> PollReport:
    now = timezone.now()
    source.error_count += 1
    delay = schedule.delay_after_error(source.interval, source.error_count, retry_after)
    source.next_fetch_at = now + timedelta(seconds=delay)
    source.last_fetch_at = source.last_error_at = now
    source.last_status = status
    source.last_error = message[:2000]
    source.last_error_code = (code or "error")[:32]
    if schedule.should_pause(source.error_count):
        source.state = SourceState.PAUSED
    source.save(
        update_fields=[
            "error_count",
            "next_fetch_at",
            "last_fetch_at",
            "last_error_at",
            "last_status",
            "last_error",
            "last_error_code",
            "state",
        ]
    )
    report = PollReport(source.pk, source.url, error=message, error_code=source.last_error_code)
    _log_poll(source, now, None, status, report)
    return report


def _log_poll(source, now, started, status, report: PollReport) -> None:
    row = PollLog.objects.create(
        source=source,
        started=now,
        duration_ms=int((time.monotonic() - started) * 1000) if started else 0,
        status=status,
        not_modified=report.not_modified,
        items_found=report.items_found,
        items_new=report.items_new,
        mentions_new=report.mentions_new,
        error=report.error,
        error_code=report.error_code,
    )
    if row.pk % POLL_LOG_TRIM_EVERY:
        return
    # One DELETE keeps the newest rows (no cascade, no signal: Django sends it as is).
    keep = PollLog.objects.filter(source=source).order_by("-started").values("pk")
    PollLog.objects.filter(source=source).exclude(pk__in=keep[:POLL_LOG_KEEP]).delete()


# --- storing ------------------------------------------------------------------------


def _guid_hash(entry: Entry) -> str:
    key = entry.guid or entry.url or f"{entry.title}\n{entry.text}"
    return sha1(key.strip())


def store_entries(source: Source, entries: list[Entry]) -> tuple[list[Item], list[Item]]:
    """Store what this source has not shown before.

    Returns (new items, items sighted in this source for the first time). An item
    already known from another source (same canonical URL or same content) is not
    stored again, but is sighted here, so that organisations following this source
    get their mentions too.

    A constant number of queries per poll in the usual case (lookups by sets of
    keys, bulk inserts); on a conflict with another worker storing the same item at
    the same moment, it falls back to one item at a time.
    """
    now = timezone.now()
    by_guid: dict[str, Entry] = {}
    for entry in entries:
        by_guid.setdefault(_guid_hash(entry), entry)
    seen = set(
        Sighting.objects.filter(source=source, guid_hash__in=list(by_guid)).values_list(
            "guid_hash", flat=True
        )
    )
    fresh = [(g, e) for g, e in by_guid.items() if g not in seen]
    if not fresh:
        return [], []
    try:
        with transaction.atomic():
            return _store_batch(source, fresh, now)
    except IntegrityError:
        return _store_one_by_one(source, fresh, now)


def _keys(entry: Entry) -> tuple[str, str, str]:
    url = canonical_url(entry.url)
    return url, (sha1(url) if url else ""), fingerprint(entry.title, entry.text)


def _store_batch(source, fresh, now) -> tuple[list[Item], list[Item]]:
    keyed = [(g, e, *_keys(e)) for g, e in fresh]
    url_hashes = {k[3] for k in keyed if k[3]}
    fps = {k[4] for k in keyed if k[4]}
    by_url = {i.url_hash: i for i in Item.objects.filter(url_hash__in=url_hashes)}
    by_fp: dict[str, Item] = {}
    for item in Item.objects.filter(fingerprint__in=fps).order_by("-pk"):
        by_fp[item.fingerprint] = item  # the oldest item wins
    new_items, sighted, sightings = [], [], []
    for guid_hash, entry, url, url_hash, fp in keyed:
        item = (url_hash and by_url.get(url_hash)) or (fp and by_fp.get(fp))
        if not item:
            item = _new_item(source, guid_hash, entry, url, url_hash, fp, now)
            new_items.append(item)
            # The same story twice in one body is one item too.
            if url_hash:
                by_url[url_hash] = item
            if fp:
                by_fp[fp] = item
        sighted.append((guid_hash, item))
    Item.objects.bulk_create(new_items, batch_size=200)
    for guid_hash, item in sighted:
        sightings.append(Sighting(item=item, source=source, guid_hash=guid_hash, created=now))
    Sighting.objects.bulk_create(sightings, batch_size=500)
    unique = list({item.pk: item for _, item in sighted}.values())
    return new_items, unique


def _store_one_by_one(source, fresh, now) -> tuple[list[Item], list[Item]]:
    new_items, sighted = [], []
    for guid_hash, entry in fresh:
        item, created = _item_for(source, guid_hash, entry, now)
        try:
            with transaction.atomic():
                Sighting.objects.create(item=item, source=source, guid_hash=guid_hash)
        except IntegrityError:
            continue  # another worker sighted it at the same moment
        sighted.append(item)
        if created:
            new_items.append(item)
    return new_items, sighted


def _new_item(source, guid_hash, entry, url, url_hash, fp, now) -> Item:
    # Cleaned here, where every item is built: one control character in one item
    # made PostgreSQL refuse the whole poll, and a script link must never be stored.
    item = Item(
        source=source,
        url=safe_url(url)[:2000],
        url_hash=url_hash,
        guid_hash=guid_hash,
        fingerprint=fp,
        title=clean_text(entry.title)[:2000],
        text=clean_text(entry.text),
        author=clean_text(entry.author)[:300],
        published=entry.published or now,
        published_known=entry.published is not None,
        collected=now,
        rating=entry.rating,
    )
    _score_item(item, entry)
    return item


def _item_for(source: Source, guid_hash: str, entry: Entry, now) -> tuple[Item, bool]:
    url, url_hash, fp = _keys(entry)
    existing = _existing_item(url_hash, fp)
    if existing:
        return existing, False
    item = _new_item(source, guid_hash, entry, url, url_hash, fp, now)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Stored by another worker (or guid reused by this source for another URL).
        existing = (
            _existing_item(url_hash, fp)
            or Item.objects.filter(source=source, guid_hash=guid_hash).first()
        )
        if existing is None:
            raise
        return existing, False
    return item, True


def _existing_item(url_hash: str, fp: str) -> Item | None:
    if url_hash:
        item = Item.objects.filter(url_hash=url_hash).first()
        if item:
            return item
    if fp:
        return Item.objects.filter(fingerprint=fp).order_by("pk").first()
    return None


# An item's language and overall tone are found only once it mentions a tracked name
# (mentions.item_language, mentions.score_items): most collected items mention nobody
# and are never shown. A star rating gives the tone at once.
def _score_item(item: Item, entry: Entry) -> None:
    item.language_hint = entry.language
    if item.rating is not None:
        result = from_rating(item.rating)
        item.sentiment, item.score = result.label, result.score
