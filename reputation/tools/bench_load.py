"""Benchmark: 50 people browsing at once, under gunicorn on PostgreSQL, while polling runs.

    python manage.py bench load [--size N] [--quick] [--workers N]

In a throwaway PostgreSQL database (reputation.tools.bench_poll.throwaway_database):
the 20 clients of `bench dashboard`'s data (reputation/dashboard/benchdata.py), four
of them with N mentions each (100,000; --quick: 5,000) over two years, the others
2,000 (--quick: 200); 50 people, one in five a consultant member of every client, the
others members of one of the four big clients, each with a session of their own.

Then, side by side on this machine (127.0.0.1 only):
- gunicorn as deployed (`-c python:reputation.gunicorn`, production settings with
  DEBUG off; reputation/tools/bench_server_settings.py says what differs) on a free
  port, --workers processes (default 3, as WEB_WORKERS); started as a subprocess and
  stopped by its pid at the end;
- polling: one process polling 200 local feeds (reputation/tools/feed_server.py, the
  feeds of `bench poll`, followed by the big clients) batch after batch for the whole
  run, each feed answering in full every time (its ETag forgotten), so that the
  machine carries a worker's parse, store and matching while people browse;
- the 50 people: asyncio with one httpx client each (an "equivalent" of locust
  headless without a new dependency: what is measured is the server, and one event
  loop easily keeps 50 idle-most-of-the-time clients), started over the first
  seconds, each opening a page then reading it for 1 to 5 s (locust's customary
  `between(1, 5)`) until the time is up (60 s; --quick: 10 s). 3 s on average is
  faster than anyone reads these pages: 50 people ask about 16 pages a second, what
  a larger crowd at a human pace would; kept so that runs compare with the goal.

Pages, drawn at random: a member's dashboard (30 or 90 days), inbox (first page,
filtered by one name and negative, a deep page of the negative ones), a mention's
page; a consultant's portfolio, inbox of all clients and its deep page, a client's
dashboard and a mention's page. Every answer must be a 200 holding what the page is
for; anything else (error status, wrong page, timeout) is an error, listed, and the
bench fails after its figures. Goal: 0 errors and a 95th percentile under 300 ms.
"""

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from monitoring.tools.bench_check import BenchFailed, expect
from reputation.dashboard import rollups
from reputation.dashboard.bench import PASSWORD, _all_deep_url
from reputation.dashboard.benchdata import generate, make_clients
from reputation.inbox.filters import inbox_queryset
from reputation.inbox.pages import _field, encode
from reputation.mentions.models import Mention
from reputation.orgs.create import get_or_create_user
from reputation.orgs.models import Membership, Role
from reputation.tools.bench_poll import _load, throwaway_database
from reputation.tools.bench_poller import poller

GOAL_MS = 300
USERS = 50
BIG = 4  # clients with N mentions each
CLIENTS = 20
THINK = (1.0, 5.0)  # seconds a person reads a page before the next one
FEEDS = 200
ROOT = Path(__file__).resolve().parents[2]


# --- the data --------------------------------------------------------------------------


def _people(orgs, consultant) -> list[tuple[str, object, list]]:
    """(kind, user, organisations) of the 50 people: one in five a consultant of every
    client (the first is benchdata's own consultant), the others members of one big one."""
    people = []
    for i in range(USERS):
        if i % 5 == 0:
            user = consultant if i == 0 else get_or_create_user(f"consultant{i}@bench.example")
            if i:
                Membership.objects.bulk_create(
                    [Membership(user=user, organisation=o, role=Role.MEMBER) for o in orgs]
                )
            people.append(("consultant", user, orgs))
        else:
            org = orgs[i % BIG]
            user = get_or_create_user(f"member{i}@bench.example")
            Membership.objects.create(user=user, organisation=org, role=Role.MEMBER)
            people.append(("member", user, [org]))
    return people


def _session(user) -> str:
    """A session of this user in the database, as logging in would leave it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _deep(url: str, org, params: dict, offset: int) -> str:
    """`url` for the page after `offset` rows of the inbox filtered by `params` (half
    the list when it is shorter), with the cursor its own "next" link would carry."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    qs = inbox_queryset(org, query)
    offset = max(1, min(offset, qs.order_by()[: 2 * offset].count() // 2))
    row = qs[offset - 1 : offset].first()
    expect(row is not None, f"{url}: not one page of {params}")
    query["after"] = encode(row, _field(qs))
    return f"{url}?{query.urlencode()}"


def _pages(orgs, names) -> dict:
    """Each big client's addresses by page kind, with what each answer must hold."""
    from django.urls import reverse

    pages = {}
    for org in orgs[:BIG]:
        inbox = reverse("inbox", args=[org.code])
        name = names[org.pk][0]
        codes = Mention.objects.filter(organisation=org).order_by("?").values_list("code")[:200]
        pages[org.pk] = {
            "dashboard": [
                (reverse("dashboard", args=[org.code]) + f"?days={d}", org.name) for d in (30, 90)
            ],
            "inbox": [(inbox, 'id="m-')],
            "inbox filtered": [(f"{inbox}?name={name.code}&sentiment=negative", 'id="m-')],
            "inbox deep": [(_deep(inbox, org, {"sentiment": "negative"}, 10_000), 'id="m-')],
            "mention": [
                (reverse("mention-detail", args=[org.code, c]), f'id="m-{c}"') for (c,) in codes
            ],
        }
    everywhere = reverse("inbox-all")
    deep, _number = _all_deep_url(everywhere, orgs, 10_000)
    pages["consultant"] = {
        "portfolio": [(reverse("portfolio"), orgs[-1].name)],
        "clients' inbox": [(everywhere, f'class="client" href="?client={orgs[0].code}"')],
        "clients' inbox deep": [(deep, 'id="m-')],
    }
    return pages


def _next_page(rng, kind: str, orgs, pages) -> tuple[str, str, str]:
    """(page kind, address, what it must hold) of what this person opens next."""
    if kind == "consultant" and rng.random() < 0.5:
        which = rng.choice(["portfolio", "portfolio", "clients' inbox", "clients' inbox deep"])
        return which, *rng.choice(pages["consultant"][which])
    own = pages[rng.choice(orgs[:BIG]).pk] if kind == "consultant" else pages[orgs[0].pk]
    which = rng.choices(
        ["dashboard", "inbox", "inbox filtered", "inbox deep", "mention"], [3, 2, 2, 1, 2]
    )[0]
    return which, *rng.choice(own[which])


# --- gunicorn --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(port: int, workers: int) -> dict:
    """Production settings, pointed at the throwaway database, on plain HTTP."""
    from django.conf import settings
    from django.db import connection

    url = urlsplit(os.environ["DATABASE_URL"])
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="reputation.tools.bench_server_settings",
        DATABASE_URL=urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        DEBUG="0",
        # This process's key: the sessions made here are signed with it.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on 127.0.0.1: production's proxy does TLS, not gunicorn.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS=str(workers),
    )
    return env


@contextmanager
def gunicorn(workers: int, out):
    """gunicorn serving the throwaway database; yields its base URL and pid; stopped
    by its pid."""
    import httpx

    port = _free_port()
    env = _server_env(port, workers)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:reputation.gunicorn"]
            + ["reputation.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the access log: one line per request
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                expect(proc.poll() is None, "gunicorn stopped: " + _tail(log))
                time.sleep(0.1)
            else:
                raise BenchFailed("gunicorn did not answer /healthz in 30 s: " + _tail(log))
            out(
                f"gunicorn: {workers} sync workers on {base}, production settings, "
                f"ready in {time.perf_counter() - started:.1f} s"
            )
            yield base, proc.pid
        finally:
            proc.terminate()  # SIGTERM to the master: it stops its workers
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by gunicorn's workers (the children of `pid`), from
    /proc: the figure that the machine's load does not inflate as the wall clock."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    total = 0.0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _tail(log) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-2000:]


# --- the people --------------------------------------------------------------------------


async def _person(i, base, cookie, kind, orgs, pages, deadline, results):
    import httpx

    rng = random.Random(i)
    await asyncio.sleep(rng.uniform(0, 3))  # arrivals spread, as locust's spawn rate does
    headers = {"Cookie": cookie, "Accept-Language": "fr"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        while time.monotonic() < deadline:
            which, url, marker = _next_page(rng, kind, orgs, pages)
            started = time.perf_counter()
            try:
                response = await client.get(url)
                error = ""
                if response.status_code != 200:
                    error = f"answered {response.status_code}"
                elif marker not in response.text:
                    error = f"does not hold {marker!r}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            results.append((which, (time.perf_counter() - started) * 1000, error, url))
            await asyncio.sleep(rng.uniform(*THINK))


async def _browse(base, sessions, people, orgs, pages, seconds):
    deadline = time.monotonic() + seconds
    results = []
    await asyncio.gather(
        *(
            _person(i, base, cookie, kind, who, pages, deadline, results)
            for i, (cookie, (kind, _user, who)) in enumerate(zip(sessions, people, strict=True))
        )
    )
    return results


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


# --- the run ---------------------------------------------------------------------------


def run(out, size=None, quick=False, workers=None, **options):
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.test import override_settings

    if connection.vendor != "postgresql" or not os.getenv("DATABASE_URL"):
        raise BenchFailed(
            "bench load needs PostgreSQL, as deployed: set DATABASE_URL=postgres://... "
            "(gunicorn's processes and the poller share its throwaway database)"
        )
    n = size or (5_000 if quick else 100_000)
    small = 200 if quick else 2_000
    seconds = 10 if quick else 60
    workers = workers or 3
    feeds = 40 if quick else FEEDS
    with (
        override_settings(DEBUG=False, FETCH_ALLOW_PRIVATE_ADDRESSES=True),
        throwaway_database(),
    ):
        out(
            f"load bench on PostgreSQL: {BIG} clients with {n:,} mentions, "
            f"{CLIENTS - BIG} with {small:,}; {USERS} people for {seconds} s, reading "
            f"each page {THINK[0]:.0f}-{THINK[1]:.0f} s; {_load()}"
        )
        started = time.perf_counter()
        consultant, orgs, sources, names = make_clients(CLIENTS, PASSWORD)
        for i, org in enumerate(orgs, start=1):
            generate(org, names[org.pk], sources, n if i <= BIG else small, seed=i)
        for org in orgs:
            rollups.rebuild(org)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            # The setup wrote half a gigabyte of WAL: its checkpoint, spread over the
            # next two minutes, ran during the timed minute (PostgreSQL's log:
            # "checkpoint starting: wal" at each run) and timed the data load's
            # aftermath rather than the pages. A server in steady state has no such
            # backlog.
            try:
                cursor.execute("CHECKPOINT")
                flushed = "setup flushed by a CHECKPOINT"
            except DatabaseError:  # needs a superuser or pg_checkpoint
                flushed = "CHECKPOINT refused: the setup's checkpoint may overlap the timing"
        people = _people(orgs, consultant)
        sessions = [f"{settings.SESSION_COOKIE_NAME}={_session(u)}" for _k, u, _o in people]
        pages = _pages(orgs, names)
        out(
            f"generated {Mention.objects.count():,} mentions, their rollups, {USERS} "
            f"sessions ({sum(k == 'consultant' for k, _u, _o in people)} consultants) "
            f"in {time.perf_counter() - started:.1f} s; {flushed}"
        )
        with poller(orgs[:BIG], feeds) as stop_polling, gunicorn(workers, out) as (base, pid):
            # Each kind of page once before the clock starts: a wrong page fails now.
            warm = _browse_once(base, sessions, people, pages, workers)
            out(f"each kind of page, {workers} at a time (slowest): {warm}")
            started, cpu = time.perf_counter(), server_cpu(pid)
            load_before = _load()
            results = asyncio.run(_browse(base, sessions, people, orgs, pages, seconds))
            elapsed = time.perf_counter() - started
            cpu = server_cpu(pid) - cpu
            load_after = _load()
            polls, poll_errors, poll_cpu = stop_polling()
        _report(out, results, elapsed, seconds, (polls, poll_errors, poll_cpu))
        out(
            f"gunicorn's workers: {cpu:.1f} s of CPU, {cpu / max(1, len(results)) * 1000:.0f} ms "
            f"per request ({cpu / elapsed:.0%} of a core)"
        )
        out(f"load: at the start {load_before}; at the end {load_after}")
        _summary(out, results, elapsed, n)


def _browse_once(base, sessions, people, pages, workers: int) -> str:
    """GET the first address of each kind of page, as a member and as a consultant,
    `workers` at a time (so that every gunicorn worker has loaded what it loads once:
    translations, templates); every answer checked. Returns the slowest of each kind."""
    import httpx

    async def one(client, which, url, marker):
        response = await client.get(url)
        expect(response.status_code == 200, f"{which} {url}: {response.status_code}")
        expect(marker in response.text, f"{which} {url}: does not hold {marker!r}")
        return response.elapsed.total_seconds() * 1000

    async def every_kind():
        kinds = {}
        for cookie, (kind, _user, orgs) in zip(sessions[:2], people[:2], strict=True):
            own = pages["consultant"] if kind == "consultant" else pages[orgs[0].pk]
            headers = {"Cookie": cookie}
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as c:
                for which, addresses in own.items():
                    url, marker = addresses[0]
                    times = await asyncio.gather(
                        *(one(c, which, url, marker) for _ in range(workers))
                    )
                    kinds[which] = max(times)
        return kinds

    kinds = asyncio.run(every_kind())
    return ", ".join(f"{k} {ms:.0f} ms" for k, ms in kinds.items())


def _report(out, results, elapsed, seconds, polling) -> None:
    polls, poll_errors, poll_cpu = polling
    out(
        f"polling meanwhile: {polls} polls of local feeds ({polls / elapsed:.1f}/s), "
        f"{poll_errors} failed, {poll_cpu:.1f} s of CPU ({poll_cpu / elapsed:.0%} of a core)"
    )
    kinds = sorted({r[0] for r in results})
    for which in [*kinds, "all"]:
        rows = [r for r in results if which in ("all", r[0])]
        ms = [r[1] for r in rows]
        errors = sum(1 for r in rows if r[2])
        out(
            f"{which}: {len(rows)} requests, {len(rows) / elapsed:.1f}/s, "
            f"median {statistics.median(ms):.0f} ms, p95 {_p95(ms):.0f} ms, "
            f"max {max(ms):.0f} ms, {errors} errors"
        )
    for which, _ms, error, url in [r for r in results if r[2]][:5]:
        out(f"  error: {which} {url}: {error}")


def _summary(out, results, elapsed, n) -> None:
    ms = [r[1] for r in results]
    errors = sum(1 for r in results if r[2])
    p95 = _p95(ms)
    met = errors == 0 and p95 < GOAL_MS
    out(
        f"summary: {USERS} people, {n:,} mentions per big client, {len(results)} requests "
        f"in {elapsed:.0f} s ({len(results) / elapsed:.1f}/s), median "
        f"{statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, {errors} errors: goal "
        f"(0 errors, p95 < {GOAL_MS} ms) {'met' if met else 'NOT met'}"
    )
    # Figures first, then the failure: errors mean the pages were not what was meant.
    expect(errors == 0, f"{errors} of {len(results)} requests failed")
