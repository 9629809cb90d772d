"""Per-host politeness shared by every worker process: what one site feels.

Four separate worker processes fetch from ONE local server; the server counts the
requests it serves at the same moment and when each arrived. Run against Redis when
REDIS_URL is set (CI), and always against the embedded fallback (lock files under
VAR_DIR, shared by the processes of one machine).
"""

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from monitoring.models import Source, SourceState
from monitoring.net import hostlimit, robots
from monitoring.net.fetch import fetch_many
from monitoring.pipeline import poll
from monitoring.types import FetchRequest
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
RSS = {"Content-Type": "application/rss+xml"}

BACKENDS = [
    pytest.param(
        REDIS_URL,
        id="redis",
        marks=pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set: no Redis to share"),
    ),
    pytest.param("", id="files"),
]


class Gauge:
    """Requests in flight on the server side, the most seen at once, arrival times."""

    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.now = self.max = 0
        self.arrivals: list[tuple[float, str]] = []

    def handler(self, status=200, headers=RSS, body=b"<rss/>"):
        def handle(req):
            with self.lock:
                self.now += 1
                self.max = max(self.max, self.now)
                self.arrivals.append((time.monotonic(), req.path))
            try:
                time.sleep(self.delay)
            finally:
                with self.lock:
                    self.now -= 1
            return status, headers, body

        return handle


@pytest.fixture
def backend(request, settings, tmp_path):
    """The shared store of a test, empty: Redis keys of 127.0.0.1 or a fresh VAR_DIR."""
    url = request.param
    if url:
        client = redis.Redis.from_url(url)
        client.delete("hostlimit:slots:127.0.0.1", "hostlimit:next:127.0.0.1")
        client.close()
    settings.REDIS_URL = url
    settings.VAR_DIR = tmp_path
    robots.clear_cache()
    yield url
    robots.clear_cache()
    if url:  # no Crawl-delay of ours left for the next test's 127.0.0.1
        client = redis.Redis.from_url(url)
        client.delete("hostlimit:slots:127.0.0.1", "hostlimit:next:127.0.0.1")
        client.close()


def run_workers(urls_per_worker: list[list[str]], redis_url: str, var_dir: Path, **env):
    """Separate Python processes, started together; their results, one list each."""
    base = dict(os.environ)
    base.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        PYTHONPATH=str(ROOT),
        REDIS_URL=redis_url,
        VAR_DIR=str(var_dir),
        FETCH_ALLOW_PRIVATE_ADDRESSES="1",
        **{k: str(v) for k, v in env.items()},
    )
    go = var_dir / "go"
    procs = []
    for number, urls in enumerate(urls_per_worker):
        ready = var_dir / f"ready-{number}"
        cmd = [sys.executable, "-m", "tests.monitoring.politeness_worker", str(ready), str(go)]
        procs.append(
            (
                ready,
                subprocess.Popen(cmd + urls, cwd=ROOT, env=base, stdout=subprocess.PIPE, text=True),
            )
        )
    deadline = time.monotonic() + 60
    while not all(r.exists() for r, _p in procs) and time.monotonic() < deadline:
        assert all(p.poll() is None for _r, p in procs), "a worker died while starting"
        time.sleep(0.05)
    go.touch()
    out = []
    for _ready, proc in procs:
        stdout, _err = proc.communicate(timeout=120)
        assert proc.returncode == 0
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_it_keeps_the_per_host_limit_across_four_worker_processes(backend, server, tmp_path):
    gauge = Gauge(delay=0.1)
    # robots.txt fetches count too: they are requests the site serves.
    server.route("/robots.txt", handler=gauge.handler(404, {"Content-Type": "text/plain"}, b""))
    for n in range(32):
        server.route(f"/feed{n}.xml", handler=gauge.handler())
    urls = [[server.url(f"/feed{w * 8 + n}.xml") for n in range(8)] for w in range(4)]

    results = run_workers(
        urls, backend, tmp_path, FETCH_PER_HOST_CONCURRENCY=2, FETCH_RESPECT_ROBOTS=1
    )

    assert [code for worker in results for code, _retry in worker] == [""] * 32
    assert len(gauge.arrivals) >= 32 + 1  # every feed, and robots.txt
    # Each process alone would allow 2: 4 processes, 8. Shared, never more than 2,
    # and 2 were really used (the processes did overlap).
    assert gauge.max == 2


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_it_honours_crawl_delay_across_worker_processes(backend, server, tmp_path):
    gauge = Gauge(delay=0.0)
    robots_txt = b"User-agent: *\nCrawl-delay: 1\n"
    server.route("/robots.txt", body=robots_txt, headers={"Content-Type": "text/plain"})
    for n in range(4):
        server.route(f"/feed{n}.xml", handler=gauge.handler())
    urls = [[server.url(f"/feed{w * 2 + n}.xml") for n in range(2)] for w in range(2)]

    results = run_workers(urls, backend, tmp_path, FETCH_PER_HOST_CONCURRENCY=4)

    assert [code for worker in results for code, _retry in worker] == [""] * 4
    times = sorted(t for t, _path in gauge.arrivals)
    assert len(times) == 4
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.9, gaps  # one request per second, whoever sends it


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_it_bounds_the_wait_for_a_long_crawl_delay(backend, server, settings):
    settings.FETCH_HOST_WAIT = 1.5
    gauge = Gauge(delay=0.0)
    robots_txt = b"User-agent: *\nCrawl-delay: 3600\n"
    server.route("/robots.txt", body=robots_txt, headers={"Content-Type": "text/plain"})
    for n in range(3):
        server.route(f"/feed{n}.xml", handler=gauge.handler())

    started = time.monotonic()
    requests = [FetchRequest(url=server.url(f"/feed{n}.xml")) for n in range(3)]
    results = asyncio.run(fetch_many(requests))

    assert time.monotonic() - started < 5  # not an hour
    assert sorted(r.error_code for r in results) == ["", "polite_wait", "polite_wait"]
    waited = [r for r in results if r.error_code == "polite_wait"]
    # Come back when the site's delay is over, not as after a failure.
    assert all(3500 <= r.retry_after <= 3600 for r in waited)
    assert len(gauge.arrivals) == 1


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_it_gives_a_busy_host_back_instead_of_hanging(backend, server, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 1
    settings.FETCH_HOST_WAIT = 0.5
    settings.FETCH_RESPECT_ROBOTS = False
    server.route("/feed.xml", body=b"<rss/>", headers=RSS)
    url = server.url("/feed.xml")
    # Another process holds the host's only slot for longer than the longest wait.
    server.route("/slow", handler=lambda req: time.sleep(2) or (200, RSS, b"<rss/>"))
    holder = threading.Thread(
        target=lambda: asyncio.run(fetch_many([FetchRequest(url=server.url("/slow"))]))
    )
    holder.start()
    time.sleep(0.3)

    started = time.monotonic()
    result = asyncio.run(fetch_many([FetchRequest(url=url)]))[0]

    assert result.error_code == "polite_wait"
    assert result.retry_after >= 1
    assert time.monotonic() - started < 1.5
    holder.join()


@pytest.mark.django_db
@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_it_polls_later_a_source_whose_crawl_delay_is_not_over(backend, server, settings):
    settings.FETCH_HOST_WAIT = 0.5
    server.route(
        "/robots.txt",
        body=b"User-agent: *\nCrawl-delay: 600\n",
        headers={"Content-Type": "text/plain"},
    )
    org = Organisation.objects.create(slug="a", name="A")
    sources = []
    for n in range(2):
        server.route(f"/feed{n}.xml", body=b'<rss version="2.0"><channel/></rss>', headers=RSS)
        sources.append(follow_source(org, server.url(f"/feed{n}.xml"))[0])

    reports = poll.poll_now(sources)

    assert sorted(r.error_code for r in reports) == ["", "polite_wait"]
    waited = Source.objects.get(pk=next(r.source_id for r in reports if r.error_code))
    # A polite wait is no failure: no error counted, no backoff, back when the delay ends.
    assert (waited.error_count, waited.last_error, waited.state) == (0, "", SourceState.ACTIVE)
    due_in = (waited.next_fetch_at - timezone.now()).total_seconds()
    assert 500 <= due_in <= 600


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set: no Redis to share")
def test_it_counts_many_fetches_over_a_few_redis_connections(server, settings, monkeypatch):
    import redis.asyncio.connection

    settings.REDIS_URL = REDIS_URL
    settings.FETCH_PER_HOST_CONCURRENCY = 30
    settings.FETCH_RESPECT_ROBOTS = False
    gauge = Gauge(delay=0.2)
    for n in range(30):
        server.route(f"/feed{n}.xml", handler=gauge.handler())
    opened = []
    connect = redis.asyncio.connection.Connection.connect

    async def counted(self):
        if not self.is_connected:
            opened.append(self)
        return await connect(self)

    monkeypatch.setattr(redis.asyncio.connection.Connection, "connect", counted)

    requests = [FetchRequest(url=server.url(f"/feed{n}.xml")) for n in range(30)]
    results = asyncio.run(fetch_many(requests))

    assert [r.error_code for r in results] == [""] * 30
    assert gauge.max > 10  # the fetches did run side by side
    # Each fetch takes and gives back a slot: a connection each was a connect and two
    # commands more per fetch, for Redis and for the worker.
    assert 1 <= len(opened) <= hostlimit.REDIS_CONNECTIONS
    # And closed when the call ends: its event loop is gone, nobody else would.
    assert not any(connection.is_connected for connection in opened)
