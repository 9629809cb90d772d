"""Benchmark: full polling rounds at scale, by real Celery workers, as deployed.

    python manage.py bench round [--size N] [--quick] [--workers N]

In a throwaway database (reputation.tools.bench_poll.throwaway_database): 10,000 feed
sources (--size; --quick: 60) followed by 500 organisations tracking 5,000 names (ten
each; a source is followed by one organisation, one in four by a second one). A
separate process serves the feeds from loopback hosts (127.0.0.2...), built on each
request from real items (reputation/tools/feed_server.py), one item in seven naming a
follower's name.

A real Celery worker, prefork with --concurrency=2 (Procfile.dev's, Celery's default
on this 2-core machine; --workers to change), consumes a queue of its own on the
configured broker. The bench plays beat: it sends the dispatch task every
POLL_DISPATCH_EVERY seconds with beat's expiry, the worker claims due sources in
batches and queues one poll task per batch, as in production.

Three rounds: round 1 is the first poll of every feed (20 new items each), rounds 2
and 3 each find NEW_PER_ROUND new items per feed. Per round: wall time (round start
to the last poll logged), items and mentions per second, polls done against due, and
each worker process's peak resident memory (VmHWM, reset before each round through
/proc/PID/clear_refs). Checked: every due source polled exactly once (one poll log
each, and one request per feed at the server), no failed poll, the expected number
of new items. Goal: each round under 5 minutes, and memory flat (round 3's peak
within 10 % of round 1's).
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from monitoring.models import Item, PollLog, Sighting, Source, SourceKind
from monitoring.tools.bench_check import BenchFailed, expect
from reputation.celery import app
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.models import Follow
from reputation.tools.bench_poll import LATENCY, _load, throwaway_database
from reputation.tools.feed_bodies import ITEMS_PER_FEED, real_items
from reputation.tools.feed_server import live_feed_server

ROOT = Path(__file__).resolve().parents[2]
DISPATCH = "monitoring.pipeline.tasks.dispatch_due_sources"
WORKERS = 2
ROUNDS = 3
NEW_PER_ROUND = 5
NAMES_PER_ORG = 10
GOAL_SECONDS = 300
MEMORY_SLACK = 0.10
KINDS = ["Boulangerie", "Garage", "Fromagerie", "Pharmacie", "Librairie"]
KINDS += ["Brasserie", "Hôtel", "Salon", "Cabinet", "Fleuriste"]
SURNAMES = """Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon
Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre
Lefevre Mercier Dupont Lambert Bonnet Francois Martinez Legrand Garnier Faure Rousseau
Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont
Lopez Fontaine Chevalier Robin""".split()
TOWNS = ["Lyon", "Nantes", "Lille", "Rennes", "Brest", "Dijon", "Tours", "Nancy", "Metz", "Pau"]


def tracked_names(count: int) -> list[str]:
    """`count` distinct business names (up to 5,000): "Garage Martin Lyon"."""
    names = [f"{k} {s} {t}" for t in TOWNS for s in SURNAMES for k in KINDS]
    expect(count <= len(names), f"at most {len(names)} tracked names")
    return names[:count]


def followers(i: int, orgs: int) -> list[int]:
    """The organisations following source i: one, and one source in four a second."""
    first = i % orgs
    second = (i * 7 + 3) % orgs
    return [first, second] if i % 4 == 0 and second != first else [first]


# --- the throwaway database's rows ----------------------------------------------------


def make_rows(urls: list[str], orgs: int, names: list[str]) -> None:
    Organisation.objects.bulk_create(
        [Organisation(slug=f"bench-{o}", name=f"Bench {o}") for o in range(orgs)],
        batch_size=500,
    )
    org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    # bulk_create sends no signal: nothing is queued, the matchers are built when a
    # poll first needs them, as after a restart.
    TrackedName.objects.bulk_create(
        [
            TrackedName(organisation_id=org_ids[n // NAMES_PER_ORG], label=label)
            for n, label in enumerate(names)
        ],
        batch_size=1000,
    )
    Source.objects.bulk_create(
        [Source(url=url, kind=SourceKind.FEED) for url in urls], batch_size=1000
    )
    source_ids = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    Follow.objects.bulk_create(
        [
            Follow(organisation_id=org_ids[o], source_id=pk)
            for i, pk in enumerate(source_ids)
            for o in followers(i, orgs)
        ],
        batch_size=1000,
    )


def database_url() -> str:
    """The URL of the database this process uses now (the throwaway one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# --- the worker and its processes' memory -------------------------------------------------


def _status(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of a process, in kB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0])
    return out


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Worker:
    """`celery worker` with a prefork pool of `concurrency` processes, on `queue`."""

    def __init__(self, concurrency: int, queue: str, folder: str):
        self.concurrency, self.queue = concurrency, queue
        self.log = Path(folder, "worker.log")
        self.proc: subprocess.Popen | None = None
        self.peaks: dict[int, int] = {}  # pid -> highest VmRSS seen this round, kB
        self.can_reset = True

    def start(self) -> "Worker":
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="reputation.tools.bench_settings",
            DATABASE_URL=database_url(),
            BENCH_QUEUE=self.queue,
            PYTHONPATH=str(ROOT),
        )
        cmd = [sys.executable, "-m", "celery", "-A", "reputation", "worker", "-Q", self.queue]
        cmd += [f"--concurrency={self.concurrency}", "--pool=prefork", "--loglevel=INFO"]
        cmd += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        cmd += [f"--hostname=bench-round-{uuid.uuid4().hex[:8]}@%h"]
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while "ready." not in self.log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise BenchFailed(f"the Celery worker did not start: {self.tail()}")
            time.sleep(0.5)
        return self

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def pool(self) -> list[int]:
        """The pool's processes: the worker process's children."""
        pid = self.proc.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return sorted(int(c) for c in children)

    def reset_peaks(self) -> None:
        self.peaks = {}
        for pid in self.pool():
            try:  # "5": reset the peak resident size (VmHWM) to the current one
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                self.can_reset = False
        self.sample()

    def sample(self) -> None:
        for pid in self.pool():
            rss = _status(pid).get("VmRSS", 0)
            self.peaks[pid] = max(self.peaks.get(pid, 0), rss)

    def round_peaks(self) -> dict[int, int]:
        """Each pool process's peak resident memory since reset_peaks, in kB."""
        self.sample()
        if not self.can_reset:  # sampled every second instead: a lower bound
            return dict(self.peaks)
        return {pid: _status(pid)["VmHWM"] for pid in self.pool()}

    def cpu(self) -> float:
        return sum(_cpu_seconds(pid) for pid in self.pool())

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@contextmanager
def running_worker(concurrency: int):
    with tempfile.TemporaryDirectory(prefix="bench-round-") as folder:
        worker = Worker(concurrency, f"bench-round-{uuid.uuid4().hex[:8]}", folder)
        try:
            yield worker.start()
        finally:
            worker.stop()
            # A stopped run leaves poll tasks of its throwaway database behind.
            with app.connection_for_write() as conn, suppress(Exception):
                conn.default_channel.queue_delete(worker.queue)


# --- one round ------------------------------------------------------------------------------


# Autovacuum analyses a growing table about once a minute on a live database (the
# postgres image's default); the shared test server runs with autovacuum off, and
# without statistics PostgreSQL read the whole item table for each poll's lookup by
# URL or content (a sequential scan: 417 buffers per poll at 4,000 items, growing
# with the table), which is not what production pays.
ANALYZE_EVERY = 60.0


def fresh_statistics() -> None:
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(m._meta.db_table for m in (Item, Sighting, Mention, PollLog))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def poll_round(worker: Worker, n: int, every: float) -> dict:
    """Make every source due, play beat until each has been polled; the figures."""
    fresh_statistics()  # a live database has them when a round starts
    started = timezone.now()
    Source.objects.update(next_fetch_at=started)
    items, mentions = Item.objects.count(), Mention.objects.count()
    worker.reset_peaks()
    cpu = worker.cpu()
    since = PollLog.objects.filter(started__gte=started)
    clock = time.monotonic()
    last_dispatch = -every
    done, progress, pause, longest_pause = 0, clock, 0.0, 0.0
    # A slow machine only makes the round longer; a round that stops moving for longer
    # than a lease and two ticks has a fault.
    stall = settings.POLL_LEASE_SECONDS + 2 * every + 60
    last_analyze = clock
    while done < n:
        now = time.monotonic()
        if now - last_analyze >= ANALYZE_EVERY:
            fresh_statistics()
            last_analyze = now
        if now - last_dispatch >= every:
            # As beat sends it: a tick not taken in time is superseded by the next.
            app.send_task(DISPATCH, queue=worker.queue, expires=max(1.0, every - 5))
            last_dispatch = now
        time.sleep(1)
        worker.sample()
        polled = since.values("source").distinct().count()
        now = time.monotonic()
        if polled > done:
            done, progress = polled, now
        pause = now - progress
        longest_pause = max(longest_pause, pause)
        if pause > stall:
            raise BenchFailed(
                f"round stalled: nothing polled for {pause:.0f} s, {done} of {n} polled "
                f"in {now - clock:.0f} s"
            )
    last = since.aggregate(last=Max("started"))["last"]
    wall = (last - started).total_seconds()
    # Leases are released at the end of each poll: wait for the batches' last ones.
    for _ in range(60):
        if not Source.objects.filter(lease_token__isnull=False).exists():
            break
        time.sleep(0.5)
    return {
        "wall": wall,
        "cpu": worker.cpu() - cpu,
        "items": Item.objects.count() - items,
        "mentions": Mention.objects.count() - mentions,
        "polls": since.count(),
        "sources": since.values("source").distinct().count(),
        "doubled": since.values("source").annotate(k=Count("pk")).filter(k__gt=1).count(),
        "errors": since.exclude(error="").count(),
        "longest_pause": longest_pause,
        "peaks": worker.round_peaks(),
    }


def check_round(number: int, figures: dict, requests: dict[str, int], n: int) -> None:
    """Every due source polled exactly once, by the poll logs and by the server."""
    expect(figures["errors"] == 0, f"round {number}: {figures['errors']} polls failed")
    expect(
        figures["sources"] == n and figures["polls"] == n and figures["doubled"] == 0,
        f"round {number}: {figures['polls']} polls of {figures['sources']} sources "
        f"({figures['doubled']} polled twice), {n} were due",
    )
    twice = sorted(name for name, count in requests.items() if count > 1)
    expect(
        len(requests) == n and not twice,
        f"round {number}: the server was asked for {len(requests)} of {n} feeds, "
        f"{len(twice)} more than once (first: {twice[:3]})",
    )
    expected = n * (ITEMS_PER_FEED if number == 1 else NEW_PER_ROUND)
    expect(
        figures["items"] == expected,
        f"round {number}: {figures['items']} new items, {expected} published",
    )
    expect(figures["mentions"] > 0, f"round {number}: no mention found")


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f}"


# --- the run -----------------------------------------------------------------------------


def run(out, size=None, quick=False, workers=None):
    from django.test import override_settings

    n = size or (60 if quick else 10_000)
    orgs = max(2, min(500, n // 20))
    workers = workers or WORKERS
    every = float(os.getenv("POLL_DISPATCH_EVERY", "60"))
    names = tracked_names(orgs * NAMES_PER_ORG)
    tracked = [
        [names[o * NAMES_PER_ORG + k] for o in followers(i, orgs) for k in range(NAMES_PER_ORG)]
        for i in range(n)
    ]
    hosts = [f"127.0.0.{2 + h}" for h in range(max(2, min(25, n // 80)))]
    pool = real_items()
    out(
        f"round bench: {n} feed sources on {len(hosts)} loopback hosts ({LATENCY * 1000:.0f} ms "
        f"per answer), {orgs} organisations, {len(names)} tracked names, "
        f"{sum(map(len, tracked)) // NAMES_PER_ORG} follows; a Celery worker with "
        f"{workers} processes, dispatch every {every:.0f} s; {_load()}"
    )
    with (
        override_settings(DEBUG=False),  # DEBUG would keep every query in memory
        live_feed_server(pool, tracked, hosts, LATENCY) as server,
        throwaway_database(),
    ):
        started = time.perf_counter()
        make_rows(server.urls, orgs, names)
        out(
            f"rows: {time.perf_counter() - started:.1f} s ({connection.vendor}, broker "
            f"{settings.CELERY_BROKER_URL.split('://')[0]}, batches of "
            f"{settings.POLL_DISPATCH_BATCH})"
        )
        rounds = []
        with running_worker(workers) as worker:
            for number in range(1, ROUNDS + 1):
                server.publish(ITEMS_PER_FEED - 1 + (number - 1) * NEW_PER_ROUND)
                server.take_counts()
                figures = poll_round(worker, n, every)
                requests = server.take_counts()
                peaks = figures["peaks"]
                out(
                    f"round {number}: {figures['wall']:.1f} s, {figures['polls']}/{n} polls "
                    f"({figures['doubled']} doubled, {len(requests)} feeds asked for, at most "
                    f"{max(requests.values(), default=0)} times each), "
                    f"{figures['items']} items ({figures['items'] / figures['wall']:.0f}/s), "
                    f"{figures['mentions']} mentions "
                    f"({figures['mentions'] / figures['wall']:.1f}/s); workers' CPU "
                    f"{figures['cpu']:.0f} s ({figures['cpu'] / n * 1000:.1f} ms per source, "
                    f"{figures['cpu'] / figures['wall'] / (os.cpu_count() or 1):.0%} of the "
                    f"cores); longest wait with nothing polled {figures['longest_pause']:.0f} s; "
                    f"peak memory per worker process "
                    f"{' / '.join(_mb(kb) for kb in peaks.values())} MB"
                    f"{'' if worker.can_reset else ' (sampled each second)'}; {_load()}"
                )
                check_round(number, figures, requests, n)
                rounds.append(figures)
            expect(worker.proc.poll() is None, f"the worker died: {worker.tail()}")

    first, last = (max(r["peaks"].values()) for r in (rounds[0], rounds[-1]))
    slowest = max(r["wall"] for r in rounds)
    growth = last / first - 1
    met = slowest < GOAL_SECONDS and growth <= MEMORY_SLACK
    out(
        f"summary: {ROUNDS} rounds of {n} sources with {workers} worker processes, slowest "
        f"{slowest:.0f} s (goal < {GOAL_SECONDS} s); peak worker memory round 1 -> "
        f"{ROUNDS}: {_mb(first)} -> {_mb(last)} MB ({growth:+.1%}, goal within "
        f"{MEMORY_SLACK:.0%}); every due source polled once: goal {'met' if met else 'missed'}"
    )
