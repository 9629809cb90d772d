"""Benchmark: poll N feeds end to end, against the floor set by parsing alone.

    python manage.py bench poll [--size N] [--quick] [--workers N]

A separate process serves N feeds (2,000; --quick: 100) from several loopback
hosts (127.0.0.2, 127.0.0.3...) so that the per-host limit works as it would on
the internet, each answer delayed by LATENCY. Feed bodies are RSS built from the
items of the real feeds in ../shared/data/feeds (titles and HTML descriptions),
twenty items each, unique per source, a few mentioning the tracked names.

Figures:
- parse floor: feedparser alone on all bodies, in this process, measured before
  and after the rest (the ratio uses the mean: the machine's speed drifts);
- one round trip: one feed fetched on its own (latency plus our overhead);
- fetch only: fetch_many over all N URLs, no database;
- end to end: Source and Follow rows in a throwaway database, then worker
  processes (4, as docker-compose runs the Celery worker; --workers to change),
  each claiming batches of POLL_DISPATCH_BATCH due sources and polling them with
  the function the Celery task calls (claim, fetch, parse, store, mentions); then
  a second poll where every feed answers 304;
- where the time goes: one process polling a sample of 200, each stage timed.

The database is a test database created for the run (a temporary SQLite file, or
test_<name>_bench on PostgreSQL) and destroyed after it: user data is never touched.
Goals (issue 22): end to end / (parse floor + one round trip) <= 0.8, and the
workers' CPU time (process time, not wall: other processes on the machine do not
count) <= 25 ms per source.
"""

import asyncio
import math
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from monitoring.models import Item, PollLog, Source, SourceKind
from monitoring.net import robots
from monitoring.net.fetch import fetch, fetch_many
from monitoring.pipeline import poll
from monitoring.sentiment import detect_language, score_text
from monitoring.tools.bench_check import expect
from monitoring.types import FetchRequest
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.models import Follow
from reputation.tools import feed_bodies, machine_cpu
from reputation.tools.feed_bodies import ITEMS_PER_FEED, real_items
from reputation.tools.feed_server import feed_server

LATENCY = 0.1
# Issue 22's goals: end to end within 0.8 of parsing alone with feedparser (it was
# 1.5 before the fast path), and the workers' CPU per polled source, matching,
# mentions and tone included.
GOAL = 0.8
CPU_GOAL_MS = 25.0
WORKERS = 4  # worker processes, as docker-compose runs the Celery worker
TRACKED = ["Boulangerie Dupont", "Fromagerie des Halles", "Garage Martin"]


# --- feed bodies from real feeds (reputation/tools/feed_bodies.py) -----------------


def feed_body(i: int, pool: list[tuple[str, str]], now: datetime) -> bytes:
    """RSS for source i: twenty real items, one in seven naming one of TRACKED."""
    return feed_bodies.feed_body(i, pool, now, TRACKED)


# --- a throwaway database ----------------------------------------------------------


@contextmanager
def throwaway_database():
    """A test database created for this run and destroyed after it."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    conn = connections["default"]
    saved = {k: (v.copy() if isinstance(v, dict) else v) for k, v in conn.settings_dict.items()}
    with tempfile.TemporaryDirectory(prefix="bench-db-") as folder:
        test = conn.settings_dict.setdefault("TEST", {})
        if conn.vendor == "sqlite":
            test["NAME"] = os.path.join(folder, "bench.sqlite3")
        else:
            test["NAME"] = f"test_{saved['NAME']}_bench"
        old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            yield
        finally:
            teardown_databases(old, verbosity=0)
            conn.close()
            conn.settings_dict.clear()
            conn.settings_dict.update(saved)


# --- timing of the pipeline stages ------------------------------------------------------


class StageTimer:
    """Wraps the pipeline's stage functions to add up the time spent in each."""

    # (module, object, function, label): where the pipeline finds what it calls.
    STAGES = [
        ("monitoring.pipeline.poll", None, "parse", "parse"),
        ("monitoring.pipeline.poll", None, "store_entries", "store_entries"),
        ("reputation.mentions.finder", "MentionFinder", "prepare", "prepare_mentions"),
        ("reputation.mentions.finder", "MentionFinder", "save", "save_mentions"),
        ("reputation.mentions.finding.languages", None, "detect_language", "detect_language"),
        ("monitoring.pipeline.poll", None, "_log", "_log_poll"),
    ]

    def __init__(self):
        self.spent = dict.fromkeys([s[3] for s in self.STAGES] + ["fetch_wait"], 0.0)
        # CPU of the polling thread in each stage (time.thread_time): what the stage
        # costs whatever else this machine runs, unlike the wall-clock time above.
        self.cpu = dict.fromkeys(self.spent, 0.0)
        self.saved = []

    def __enter__(self):
        import importlib

        for module_name, owner, name, label in self.STAGES:
            module = importlib.import_module(module_name)
            holder = getattr(module, owner) if owner else module
            original = getattr(holder, name)
            self.saved.append((holder, name, original))
            setattr(holder, name, self._timed(label, original))
        fetched = poll.fetch_as_completed
        self.saved.append((poll, "fetch_as_completed", fetched))

        def timed_fetch(requests):
            # Only the time spent waiting for an answer: fetching overlaps the rest.
            answers = fetched(requests)
            while True:
                started, cpu = time.perf_counter(), time.thread_time()
                try:
                    answer = next(answers)
                except StopIteration:
                    return
                finally:
                    self.spent["fetch_wait"] += time.perf_counter() - started
                    self.cpu["fetch_wait"] += time.thread_time() - cpu
                yield answer

        poll.fetch_as_completed = timed_fetch
        return self

    def _timed(self, name, function):
        def timed(*args, **kwargs):
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - started
                self.cpu[name] += time.thread_time() - cpu

        return timed

    def __exit__(self, *exc):
        for module, name, function in self.saved:
            setattr(module, name, function)


def _make_rows(urls: list[str]):
    org = Organisation.objects.create(slug="bench", name="Bench")
    for label in TRACKED:
        TrackedName.objects.create(organisation=org, label=label)
    sources = Source.objects.bulk_create(
        [Source(url=url, kind=SourceKind.FEED) for url in urls], batch_size=500
    )
    sources = list(Source.objects.order_by("pk"))
    Follow.objects.bulk_create(
        [Follow(organisation=org, source=s) for s in sources], batch_size=500
    )
    return sources


def _warm_up() -> None:
    """Load what a long-lived worker loads once (language models, lexicons)."""
    for text in ("Un accueil très chaleureux, je recommande.", "Great service, recommended."):
        score_text(text, detect_language(text))


def _worker_loop(batch: int) -> tuple[int, float]:
    """One worker process: claim due sources batch after batch until none is left."""
    from django.db import connections

    connections.close_all()  # never share the parent's connection after fork
    polled = 0
    cpu = time.process_time()
    while True:
        ids = list(Source.objects.due().values_list("pk", flat=True)[:batch])
        if not ids:
            break
        polled += len(poll.poll_leased(Source.objects.claim(ids)))
    connections.close_all()
    return polled, time.process_time() - cpu


def _run_workers(workers: int, batch: int) -> list[tuple[int, float]]:
    import multiprocessing

    from django.db import connections

    _warm_up()  # loaded once before forking, as a long-lived worker has it loaded
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_worker_loop, [batch] * workers)


def _stages(spent: dict, total: float, scale: float = 1.0, unit: str = "s") -> str:
    """The stages of StageTimer's figures, language and mentions apart."""
    mentions_own = spent["prepare_mentions"] - spent["detect_language"]
    rest = total - sum(spent.values()) + spent["detect_language"]
    figures = [
        ("waiting for fetches", spent["fetch_wait"]),
        ("parse", spent["parse"]),
        ("store items and sightings", spent["store_entries"]),
        ("language (of items that mention a name)", spent["detect_language"]),
        ("matching+mentions+sentiment", mentions_own),
        ("store mentions and daily counts", spent["save_mentions"]),
        ("poll log", spent["_log_poll"]),
        ("other", rest),
    ]
    digits = 1 if unit == "ms" else 2
    return ", ".join(f"{label} {value * scale:.{digits}f} {unit}" for label, value in figures)


def _spent(after, before):
    return None if after is None or before is None else after - before


def _beside(busy, postgres, worker_cpu: float, total: float, n: int) -> str:
    """What else the cores did while the workers polled: PostgreSQL's processes and
    the rest (the feed server above all), per source."""
    if busy is None or postgres is None:
        return "the machine meanwhile: not measured (no /proc)"
    other = max(0.0, busy - worker_cpu - postgres)
    return (
        f"the machine meanwhile: {busy / (total * (os.cpu_count() or 1)):.0%} of the cores "
        f"busy; per source, the workers {worker_cpu / n * 1000:.1f} ms, PostgreSQL's "
        f"processes {postgres / n * 1000:.1f} ms, the rest (feed server, other "
        f"processes) {other / n * 1000:.1f} ms"
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} on {os.cpu_count()} cores"


# --- the run ------------------------------------------------------------------------------


def parse_floor(bodies: list[bytes]) -> tuple[float, float]:
    """Seconds feedparser alone takes to parse these bodies, in this process: wall
    time and CPU time (the CPU time does not grow with other processes' load)."""
    import feedparser

    started, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        feedparser.parse(body)
    return time.perf_counter() - started, time.process_time() - cpu


def run(out, size=None, quick=False, workers=None):
    from django.test import override_settings

    n = size or (100 if quick else 2000)
    hosts = [f"127.0.0.{2 + h}" for h in range(max(2, min(25, n // 80)))]
    now = datetime.now(UTC)
    pool = real_items()
    bodies = [feed_body(i, pool, now) for i in range(n)]
    mb = sum(map(len, bodies)) / 1e6
    out(
        f"poll bench: {n} feeds ({ITEMS_PER_FEED} items each, {mb:.1f} MB, built from "
        f"{len(pool)} real items) on {len(hosts)} loopback hosts, {LATENCY * 1000:.0f} ms "
        f"latency per answer; {_load()}"
    )

    floor_before, floor_cpu_before = parse_floor(bodies)
    out(
        f"parse floor (feedparser alone, {n} bodies): {floor_before:.2f} s "
        f"(CPU {floor_cpu_before / n * 1000:.1f} ms per feed)"
    )

    with (
        # DEBUG would keep every SQL query in memory and slow the run down.
        override_settings(FETCH_ALLOW_PRIVATE_ADDRESSES=True, DEBUG=False),
        feed_server(bodies, hosts, LATENCY) as urls,
    ):
        from django.conf import settings

        out(
            f"limits: FETCH_CONCURRENCY={settings.FETCH_CONCURRENCY}, "
            f"FETCH_PER_HOST_CONCURRENCY={settings.FETCH_PER_HOST_CONCURRENCY}, "
            f"robots.txt {'on' if settings.FETCH_RESPECT_ROBOTS else 'off'}"
        )
        fetch(FetchRequest(urls[0]))  # robots.txt of that host read and cached
        trips = []
        for url in urls[: 5 * len(hosts) : len(hosts)]:  # the same host each time
            started = time.perf_counter()
            fetch(FetchRequest(url))
            trips.append(time.perf_counter() - started)
        round_trip = statistics.median(trips)
        out(f"one round trip: {round_trip * 1000:.0f} ms (latency {LATENCY * 1000:.0f} ms)")

        robots.clear_cache()
        started, cpu = time.perf_counter(), time.process_time()
        results = asyncio.run(fetch_many([FetchRequest(u) for u in urls]))
        fetch_time = time.perf_counter() - started
        fetch_cpu = time.process_time() - cpu
        failed = [r for r in results if not r.ok]
        # robots.txt first (one round trip per host, side by side), then the feeds in
        # rounds of as many as the limits let run at once.
        width = min(settings.FETCH_CONCURRENCY, len(hosts) * settings.FETCH_PER_HOST_CONCURRENCY)
        ideal = (1 + math.ceil(n / max(1, width))) * LATENCY
        out(
            f"fetch only: {fetch_time:.2f} s, {n / fetch_time:.0f} sources/s, "
            f"{len(failed)} failed (limits allow at best {ideal:.2f} s; CPU of this "
            f"process {fetch_cpu:.2f} s, {fetch_cpu / n * 1000:.1f} ms per feed)"
        )
        if failed:
            out(f"  first failure: {failed[0].url}: {failed[0].error_code} {failed[0].error}")
        # Timing failures (refused, blocked, 4xx) is not timing fetches.
        expect(not failed, f"fetch only: {len(failed)} of {n} fetches failed")

        # Where the time goes: one process polling a sample, each stage timed.
        sample = urls[: min(n, 200)]
        robots.clear_cache()
        with throwaway_database():
            sources = _make_rows(sample)
            started = time.perf_counter()
            _warm_up()
            out(
                f"one-time model loading (language detector, sentiment), not counted: "
                f"{time.perf_counter() - started:.2f} s"
            )
            with StageTimer() as timer:
                started, cpu_started = time.perf_counter(), time.process_time()
                thread_started = time.thread_time()
                reports = poll.poll_now(sources)
                one = time.perf_counter() - started
                one_cpu = time.process_time() - cpu_started
                thread_cpu = time.thread_time() - thread_started
            expect(
                sum(r.items_new for r in reports) > 0 and not any(r.error for r in reports),
                f"one process: {len(sample)} polls stored no item or failed",
            )
            out(
                f"one process, {len(sample)} sources: {one:.2f} s; where the time goes: "
                + _stages(timer.spent, one)
            )
            per = 1000 / len(sample)
            out(
                f"one process, CPU (process time, not wall: other processes on this machine "
                f"do not count): {one_cpu * per:.1f} ms per source, of which the fetching "
                f"thread {(one_cpu - thread_cpu) * per:.1f} ms; the polling thread per "
                f"source: " + _stages(timer.cpu, thread_cpu, per, "ms")
            )

        # End to end as deployed: worker processes (like Celery's prefork pool) each
        # claiming batches of POLL_DISPATCH_BATCH due sources and polling them with the
        # same function as the Celery task.
        robots.clear_cache()
        with throwaway_database():
            sources = _make_rows(urls)
            # As many processes as docker-compose's worker runs (--concurrency=4):
            # while one waits for its first answers or for the database, another
            # parses. (One per core, Celery's default, is --workers 2 here.)
            workers = workers or WORKERS
            started = time.perf_counter()
            busy, postgres = machine_cpu.busy_seconds(), machine_cpu.postgres_seconds()
            done = _run_workers(workers, settings.POLL_DISPATCH_BATCH)
            total = time.perf_counter() - started
            busy, postgres = (
                _spent(machine_cpu.busy_seconds(), busy),
                _spent(machine_cpu.postgres_seconds(), postgres),
            )
            polls = sum(count for count, _ in done)
            worker_cpu = sum(cpu for _, cpu in done)

            errors = PollLog.objects.exclude(error="").count()
            expect(errors == 0, f"end to end: {errors} polls failed")
            expect(polls >= n and Item.objects.exists(), f"end to end: {polls} polls of {n}")
            out(
                f"end to end ({workers} worker processes, batches of "
                f"{settings.POLL_DISPATCH_BATCH}): {total:.2f} s, {n / total:.0f} sources/s, "
                f"{polls} polls, {Item.objects.count()} items, "
                f"{Mention.objects.count()} mentions, {errors} errors; the workers' CPU "
                f"time {worker_cpu:.2f} s, {worker_cpu / n * 1000:.1f} ms per source, "
                f"{worker_cpu / (total * (os.cpu_count() or 1)):.0%} of the machine's cores"
            )
            out(_beside(busy, postgres, worker_cpu, total, n))

            sources = list(type(sources[0]).objects.order_by("pk"))
            started = time.perf_counter()
            again = poll.poll_now(sources)
            steady = time.perf_counter() - started
            unchanged = sum(1 for r in again if r.not_modified)
            out(
                f"second poll (conditional requests, one process): {steady:.2f} s, "
                f"{n / steady:.0f} sources/s, {unchanged}/{n} not modified"
            )

    # The floor again: this machine's speed drifts by a fifth within minutes, so the
    # ratio is taken against the mean of the floors measured before and after.
    floor_after, floor_cpu_after = parse_floor(bodies)
    floor = (floor_before + floor_after) / 2
    floor_cpu = (floor_cpu_before + floor_cpu_after) / 2
    out(
        f"parse floor again: {floor_after:.2f} s; mean of both {floor:.2f} s; "
        f"after the run: {_load()} (other processes on this machine skew every figure)"
    )
    ratio = total / (floor + round_trip)
    verdict = "meets" if ratio <= GOAL else "misses"
    cpu_ms = worker_cpu / n * 1000
    cpu_verdict = "meets" if cpu_ms <= CPU_GOAL_MS else "misses"
    # The same ratio in CPU time: what the whole pipeline costs against what parsing
    # alone with feedparser costs, whatever the machine's load does to wall times.
    out(
        f"CPU ratio: the workers' CPU {worker_cpu:.2f} s / feedparser's parse floor CPU "
        f"{floor_cpu:.2f} s (mean of both) = {worker_cpu / max(floor_cpu, 1e-9):.2f}"
    )
    out(
        f"summary: {n} sources polled end to end in {total:.2f} s ({n / total:.0f}/s); "
        f"ratio to floor (parse {floor:.2f} s + round trip {round_trip:.2f} s) = "
        f"{ratio:.2f}, {verdict} the goal {GOAL}; workers' CPU {cpu_ms:.1f} ms per "
        f"source, {cpu_verdict} the goal {CPU_GOAL_MS:.0f} ms"
    )
