"""Polling: claim due sources, fetch them concurrently, parse, store, hand on.

The stages are plain functions so that Celery tasks, the `poll` command, tests and
benchmarks all run the same code; the models record the outcome (Source.record_*).

Concurrency safety does not depend on the broker: a source is claimed with a
conditional UPDATE that sets a lease token (Source.objects.claim), and only the
holder of the token polls it. A worker that dies mid-poll leaves the lease to
expire; the next dispatch claims the source again (and with Redis, the
unacknowledged message is delivered again, finds its token still valid, and
finishes the poll). Unique constraints on items and sightings (and the consumer's
own) make a repeated poll create nothing twice.
"""

import contextlib
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from monitoring.connectors.read import read as connector_read
from monitoring.models import PollLog, Source
from monitoring.net.fetch import fetch_as_completed
from monitoring.parse import parse
from monitoring.parse.budget import time_budget
from monitoring.parse.sanitize import clean_text, safe_url
from monitoring.pipeline import consumers, follow_links
from monitoring.pipeline.store import guid_hash, store_entries
from monitoring.sources import kinds
from monitoring.types import FetchRequest, FetchResult, SourceError
from monitoring.websub import discovery

log = logging.getLogger(__name__)

# The database itself failed (restarted, failed over, unreachable): not the source's
# fault, and nothing of the poll was kept (one transaction per source on a server).
DATABASE_DOWN = (OperationalError, InterfaceError)


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


def claim_due_batches(now=None, limit: int | None = None) -> list[str]:
    """Claim due sources in batches; returns one lease token per batch."""
    return claim_due(now, limit)[0]


def claim_due(now=None, limit: int | None = None) -> tuple[list[str], bool]:
    """Claim up to `limit` (POLL_DISPATCH_LIMIT) due sources in batches: one lease
    token per batch, and whether the limit was reached (more may be due).

    Called by beat's dispatch task, which sends one poll task per token.
    """
    now = now or timezone.now()
    limit = limit or settings.POLL_DISPATCH_LIMIT
    rows = list(Source.objects.due(now).values_list("pk", "url")[:limit])
    ids = spread_over_hosts(rows)
    size = settings.POLL_DISPATCH_BATCH
    tokens = [Source.objects.claim(ids[i : i + size], now) for i in range(0, len(ids), size)]
    if ids:
        log.info("claimed %d due sources in %d batches", len(ids), len(tokens))
    return tokens, len(ids) >= limit


def spread_over_hosts(rows: list[tuple[int, str]]) -> list[int]:
    """The ids of (id, url) rows in an order where every stretch holds each host in its
    share of the whole (due order kept within a host).

    A batch fetches its sources at once, at most FETCH_PER_HOST_CONCURRENCY per host
    across every process: a batch of one site's sources would fetch them a few at a
    time, and the other processes' batches of that site would wait for its slots (up
    to FETCH_HOST_WAIT, then come back later). Spread, each batch holds as many hosts
    as it can and each host as few times as it can.
    """
    by_host: dict[str, list[int]] = {}
    for pk, url in rows:
        by_host.setdefault((urlsplit(url).hostname or "").lower(), []).append(pk)
    # A host's i-th source at (i + 1/2) / its count of the way through: every host
    # is spread evenly from the first batch to the last.
    keyed = [
        ((i + 0.5) / len(ids), order, pk)
        for order, ids in enumerate(by_host.values())
        for i, pk in enumerate(ids)
    ]
    return [pk for *_, pk in sorted(keyed)]


def poll_leased(token: str) -> list[PollReport]:
    """Poll every source still leased to `token` (a stale token polls nothing)."""
    now = timezone.now()
    Source.objects.renew(token, now)
    sources = list(Source.objects.leased_to(token, now))
    if not sources:
        return []
    # Review platforms are read through their APIs (monitoring/connectors/), the
    # others by fetching their URL.
    fetched = [i for i, s in enumerate(sources) if not kinds.reads_itself(s.kind)]
    requests = [
        FetchRequest(
            url=s.url,
            etag=s.etag,
            last_modified=s.last_modified,
            accept=kinds.accept(s.kind),
        )
        for s in (sources[i] for i in fetched)
    ]
    reports: dict[int, PollReport] = {}

    def handle(index: int, result: FetchResult | None) -> None:
        source = sources[index]
        try:
            parsed = None
            if result is None:
                result, parsed = connector_read(source)
            reports[index] = process(source, result, parsed)
        except SoftTimeLimitExceeded:
            # The task ran out of time on this source: it alone gets the error; the
            # sources not polled yet are handed back (below) for the next round.
            reports[index] = _error(source, "too_slow", _too_slow_message())
            raise
        except DATABASE_DOWN:
            # No error counted against the source, no backoff: it keeps its schedule
            # and, handed back below (or once its lease ends if the database is still
            # away), is polled at the next dispatch. The task retries the rest.
            log.warning("the database failed while polling %s", source.url, exc_info=True)
            raise
        except Exception as exc:  # a worker never dies on one bad source
            log.exception("polling %s failed", source.url)
            reports[index] = _error(source, "internal", _internal_message(exc))
        finally:
            source.release(token)

    # Each source is processed as soon as its answer is in, while the others are
    # still being fetched; except the sources whose articles are fetched too: they
    # wait for the batch's fetches to end, so that a site never gets its article
    # fetches on top of the batch's (the per-host limit holds within a fetch_many).
    later = []
    try:
        for index in sorted(set(range(len(sources))) - set(fetched)):
            handle(index, None)
        for n, result in fetch_as_completed(requests):
            index = fetched[n]
            if result.ok and not result.not_modified and follow_links.wanted(sources[index]):
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


def poll_now(sources) -> list[PollReport]:
    """Poll these sources now (the `poll` command); sources leased elsewhere are skipped."""
    token = Source.objects.claim([s.pk for s in sources])
    return poll_leased(token)


def _one_commit():
    """One transaction per source on a database server: one commit instead of one
    per statement (a fifth faster end to end on PostgreSQL), and a poll stored whole
    or not at all. Not on SQLite: it has a single writer, and holding its lock through
    the matching and scoring would make the other workers wait (half as fast in the
    benchmark); there a poll writes in two short transactions, items then the rest."""
    if connection.vendor == "sqlite":
        return contextlib.nullcontext()
    return transaction.atomic()


def _internal_message(exc: Exception) -> str:
    return f"an internal error stopped this poll ({type(exc).__name__}); it will be retried"


def ingest(source: Source, result: FetchResult) -> PollReport:
    """A body a poll fetched or a hub pushed (WebSub) -> parse, store, sightings,
    consumers: one pipeline whichever way the body came."""
    return process(source, result)


def process(source: Source, result: FetchResult, parsed=None) -> PollReport:
    """Store what a fetch brought; `parsed`: entries a connector already read."""
    started = time.monotonic()
    if result.error_code == "polite_wait":
        # The site's politeness, not a failure: no error counted, no backoff.
        source.poll_later(result.retry_after or 60)
        return PollReport(source.pk, source.url, error_code=result.error_code)
    if not result.ok:
        return _error(source, result.error_code, result.error, result.status, result.retry_after)
    report = PollReport(source.pk, source.url, not_modified=result.not_modified)
    if parsed is not None:
        del parsed.entries[settings.POLL_MAX_ITEMS :]
        report.items_found = len(parsed.entries)
    elif not result.not_modified:
        try:
            with time_budget(settings.POLL_PARSE_SECONDS):
                parsed = parse(source.kind, result, source.config)
        except SourceError as exc:
            return _error(source, exc.code, exc.message, result.status)
        # Bounded whatever the page holds: memory and time of a poll stay bounded too.
        del parsed.entries[settings.POLL_MAX_ITEMS :]
        report.items_found = len(parsed.entries)
        if follow_links.wanted(source):
            # Network calls: before the transaction, never inside it.
            follow_links.enrich(source, parsed.entries, guid_hash)
    consumer = consumers.current()
    with _one_commit():
        new_items, sightings = [], []
        if parsed is not None:
            new_items, sightings = store_entries(source, parsed.entries)
        report.items_new = len(new_items)
        # Matching and scoring: CPU work, outside any write lock on SQLite.
        prepared = consumer.prepare(source, sightings, new_items) if consumer else None
        # One write for the rest: on SQLite a short transaction of its own, on a
        # database server part of the source's transaction.
        with transaction.atomic(savepoint=False):
            if consumer is not None:
                report.mentions_new = consumer.save(prepared)
            published = []
            if parsed is not None:
                _describe(source, parsed, result.headers)
                published = [e.published for e in parsed.entries]
            source.record_success(
                status=result.status,
                headers=result.headers,
                items_found=report.items_found,
                items_new=report.items_new,
                published=published,
                not_modified=report.not_modified,
            )
            _log(source, result.status, report, started)
    return report


def _describe(source: Source, parsed, headers: dict) -> None:
    """What the source says of itself fills what we did not know yet."""
    source.hub, source.topic = discovery.hub_and_topic(parsed, headers, source.url)
    if parsed.title and not source.title:
        source.title = clean_text(parsed.title)[:300]
    if parsed.site_url and not source.site_url:
        source.site_url = safe_url(parsed.site_url)[:2000]


def _error(source, code, message, status=None, retry_after=None) -> PollReport:
    source.record_error(code, message, status, retry_after)
    report = PollReport(source.pk, source.url, error=message, error_code=source.last_error_code)
    _log(source, status, report, None)
    return report


def _log(source, status, report: PollReport, started) -> None:
    PollLog.record(
        source,
        started=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000) if started else 0,
        status=status,
        not_modified=report.not_modified,
        items_found=report.items_found,
        items_new=report.items_new,
        mentions_new=report.mentions_new,
        error=report.error,
        error_code=report.error_code,
    )
