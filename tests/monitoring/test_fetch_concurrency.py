"""Concurrency: many URLs at once, within a global and a per-host limit.

The server counts the requests it is serving at the same moment; that count is
what a site feels, so it is what these tests check.
"""

import asyncio
import threading
import time

import pytest

from monitoring.net import robots
from monitoring.net.fetch import fetch_as_completed, fetch_many
from monitoring.types import FetchRequest
from tests.httpserver import LocalServer

RSS_TYPE = {"Content-Type": "application/rss+xml"}


class Gauge:
    """Requests in flight on the server side, and the most seen at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.max = 0

    def handler(self, delay: float):
        def handle(req):
            with self.lock:
                self.now += 1
                self.max = max(self.max, self.now)
            try:
                time.sleep(delay)
            finally:
                with self.lock:
                    self.now -= 1
            return 200, RSS_TYPE, b"<rss/>"

        return handle


@pytest.fixture(autouse=True)
def _no_robots(settings):
    settings.FETCH_RESPECT_ROBOTS = False
    robots.clear_cache()


@pytest.fixture
def second_host():
    srv = LocalServer(host="127.0.0.2")
    srv.start()
    yield srv
    srv.stop()


def test_it_enforces_the_per_host_limit(server, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 3
    settings.FETCH_CONCURRENCY = 50
    gauge = Gauge()
    for i in range(12):
        server.route(f"/feed{i}", handler=gauge.handler(0.15))
    requests = [FetchRequest(server.url(f"/feed{i}")) for i in range(12)]
    results = asyncio.run(fetch_many(requests))
    assert all(r.ok for r in results), [r.error for r in results]
    assert gauge.max == 3  # the limit is reached (concurrent) and never passed


def test_it_enforces_the_global_limit_across_hosts(server, second_host, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 10
    settings.FETCH_CONCURRENCY = 4
    gauge = Gauge()
    for srv in (server, second_host):
        for i in range(8):
            srv.route(f"/feed{i}", handler=gauge.handler(0.15))
    urls = [server.url(f"/feed{i}") for i in range(8)]
    urls += [f"http://127.0.0.2:{second_host.port}/feed{i}" for i in range(8)]
    results = asyncio.run(fetch_many([FetchRequest(u) for u in urls]))
    assert all(r.ok for r in results), [r.error for r in results]
    assert gauge.max == 4


def test_it_gives_each_host_its_own_limit(server, second_host, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 2
    settings.FETCH_CONCURRENCY = 50
    gauges = {server: Gauge(), second_host: Gauge()}
    both = Gauge()

    def handler(gauge):
        inner = gauge.handler(0.15)
        return lambda req: _counted(both, inner, req)

    for srv, gauge in gauges.items():
        for i in range(6):
            srv.route(f"/feed{i}", handler=handler(gauge))
    urls = [server.url(f"/feed{i}") for i in range(6)]
    urls += [f"http://127.0.0.2:{second_host.port}/feed{i}" for i in range(6)]
    results = asyncio.run(fetch_many([FetchRequest(u) for u in urls]))
    assert all(r.ok for r in results)
    assert [g.max for g in gauges.values()] == [2, 2]
    # Both hosts were served side by side, one host's queue never held the other's.
    assert both.max == 4


def _counted(gauge: Gauge, inner, req):
    with gauge.lock:
        gauge.now += 1
        gauge.max = max(gauge.max, gauge.now)
    try:
        return inner(req)
    finally:
        with gauge.lock:
            gauge.now -= 1


def test_it_fetches_the_others_while_one_hangs(server, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 4
    settings.FETCH_READ_TIMEOUT = 2.5
    settings.FETCH_TOTAL_TIMEOUT = 3.0
    server.route("/hang", handler=lambda req: time.sleep(5) or (200, RSS_TYPE, b"<rss/>"))
    for i in range(30):
        server.route(f"/feed{i}", b"<rss/>", headers=RSS_TYPE)
    requests = [FetchRequest(server.url("/hang"))]
    requests += [FetchRequest(server.url(f"/feed{i}")) for i in range(30)]
    results = asyncio.run(fetch_many(requests))
    assert results[0].error_code == "timeout"
    assert all(r.ok for r in results[1:]), [r.error for r in results[1:]]
    # None of them waited for the hanging one to time out (a wide margin: the
    # machine may be busy, the property is "not 2.5 s", not "fast").
    assert results[0].elapsed >= 2.5
    assert max(r.elapsed for r in results[1:]) < 2.0


def test_it_hands_over_each_answer_as_soon_as_it_is_in(server, settings):
    settings.FETCH_PER_HOST_CONCURRENCY = 4
    server.route("/slow", handler=lambda req: time.sleep(1.0) or (200, RSS_TYPE, b"<rss/>"))
    server.route("/fast", b"<rss/>", headers=RSS_TYPE)
    server.route("/gone", b"", status=404)
    requests = [FetchRequest(server.url(p)) for p in ("/slow", "/fast", "/gone")]
    started = time.monotonic()
    seen = []
    for index, result in fetch_as_completed(requests):
        seen.append((index, result.ok, result.status, time.monotonic() - started))
    assert sorted(i for i, *_ in seen) == [0, 1, 2]  # each one, once
    assert seen[-1][:3] == (0, True, 200)  # the slow one last
    assert {(i, ok, status) for i, ok, status, _ in seen[:2]} == {(1, True, 200), (2, False, 404)}
    # The quick answers did not wait for the slow one (a wide margin: the property
    # is "not 1 s", not "fast").
    assert max(t for *_, t in seen[:2]) < 0.8 <= seen[-1][3]


def test_it_writes_errors_in_the_language_of_the_caller(server):
    from django.utils import translation

    server.route("/gone", b"", status=404)
    with translation.override("fr"):
        [(_, result)] = list(fetch_as_completed([FetchRequest(server.url("/gone"))]))
    assert result.error_code == "http_error"
    assert result.error == "le serveur a répondu 404"
