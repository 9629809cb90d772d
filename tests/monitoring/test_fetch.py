"""The fetch stage against a real local HTTP server: statuses, redirects, validators."""

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from django.utils import translation

from monitoring.net import robots
from monitoring.net.fetch import fetch, fetch_many, parse_retry_after
from monitoring.types import FetchRequest

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


@pytest.fixture(autouse=True)
def _fresh_robots_cache():
    robots.clear_cache()
    yield
    robots.clear_cache()


def test_it_fetches_a_feed_with_our_user_agent(server, settings):
    settings.FETCH_USER_AGENT = "TestBot/9 (+https://example.org/bot)"
    server.route("/feed.xml", RSS, headers={**RSS_TYPE, "ETag": '"v1"'})
    result = fetch(FetchRequest(server.url("/feed.xml")))
    assert result.ok, result.error
    assert result.status == 200
    assert result.body == RSS
    assert result.final_url == server.url("/feed.xml")
    assert result.headers["etag"] == '"v1"'
    assert result.content_type == "application/rss+xml"
    assert result.elapsed > 0
    # Every request, robots.txt included, carries the configured User-Agent.
    paths = [path for _m, path, _h in server.requests]
    assert paths == ["/robots.txt", "/feed.xml"]
    assert all(h["User-Agent"] == settings.FETCH_USER_AGENT for _m, _p, h in server.requests)
    assert server.requests[1][2]["Accept"] == FetchRequest.accept


def test_it_sends_validators_and_reports_not_modified(server):
    def handler(req):
        if req.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {**RSS_TYPE, "ETag": '"v1"'}, RSS

    server.route("/feed.xml", handler=handler)
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    result = fetch(FetchRequest(server.url("/feed.xml"), etag='"v1"', last_modified=stamp))
    assert result.ok
    assert result.not_modified is True
    assert result.status == 304
    assert result.body == b""
    headers = server.requests[-1][2]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == stamp

    fresh = fetch(FetchRequest(server.url("/feed.xml")))
    assert fresh.not_modified is False
    assert fresh.body == RSS
    assert "If-None-Match" not in server.requests[-1][2]


def test_it_follows_a_relative_redirect(server):
    server.route("/old/feed", status=301, headers={"Location": "../new/feed.xml"})
    server.route("/new/feed.xml", RSS, headers=RSS_TYPE)
    result = fetch(FetchRequest(server.url("/old/feed")))
    assert result.ok, result.error
    assert result.final_url == server.url("/new/feed.xml")
    assert result.body == RSS


def test_it_follows_a_chain_of_redirects(server):
    server.route("/a", status=302, headers={"Location": server.url("/b")})
    server.route("/b", status=307, headers={"Location": "/c"})
    server.route("/c", status=308, headers={"Location": "/feed"})
    server.route("/feed", RSS, headers=RSS_TYPE)
    result = fetch(FetchRequest(server.url("/a")))
    assert result.ok, result.error
    assert result.final_url == server.url("/feed")
    assert [p for _m, p, _h in server.requests if p != "/robots.txt"] == ["/a", "/b", "/c", "/feed"]


def test_it_stops_a_redirect_loop(server):
    server.route("/x", status=302, headers={"Location": "/y"})
    server.route("/y", status=302, headers={"Location": "/x"})
    result = fetch(FetchRequest(server.url("/x")))
    assert result.error_code == "redirects"
    assert "loop" in result.error
    assert result.body == b""


def test_it_stops_after_too_many_redirects(server, settings):
    settings.FETCH_MAX_REDIRECTS = 2
    for i in range(5):
        server.route(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    server.route("/r5", RSS, headers=RSS_TYPE)
    result = fetch(FetchRequest(server.url("/r0")))
    assert result.error_code == "redirects"
    assert result.error == "too many redirects (more than 2)"
    # Three requests (the original and two redirects), never the fourth.
    assert "/r3" not in [p for _m, p, _h in server.requests]


def test_it_honours_retry_after_in_seconds_on_429(server):
    server.route("/feed", b"slow down", status=429, headers={"Retry-After": "120"})
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.error_code == "rate_limited"
    assert result.retry_after == 120
    assert result.status == 429


def test_it_honours_retry_after_as_a_date_on_503(server):
    when = datetime.now(UTC) + timedelta(minutes=10)
    server.route(
        "/feed", b"maintenance", status=503, headers={"Retry-After": format_datetime(when, True)}
    )
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.error_code == "http_error"
    assert result.error == "the server answered 503"
    assert 590 <= result.retry_after <= 601


@pytest.mark.parametrize("status", [404, 410, 500, 502])
def test_it_reports_error_statuses(server, status):
    server.route("/feed", b"nope", status=status, headers={"Content-Type": "text/plain"})
    result = fetch(FetchRequest(server.url("/feed")))
    assert not result.ok
    assert result.error_code == "http_error"
    assert result.error == f"the server answered {status}"
    assert result.status == status
    assert result.retry_after is None
    assert result.body == b""


def test_it_keeps_order_and_isolates_bad_urls(server):
    server.route("/one", RSS, headers=RSS_TYPE)
    server.route("/two", b"<rss>2</rss>", headers=RSS_TYPE)
    requests = [
        FetchRequest(server.url("/one")),
        FetchRequest("ftp://example.org/feed"),
        FetchRequest("not a url at all"),
        FetchRequest(server.url("/missing")),
        FetchRequest("http://[::1"),
        FetchRequest(server.url("/two")),
    ]
    results = asyncio.run(fetch_many(requests))
    assert [r.url for r in results] == [r.url for r in requests]
    assert [r.error_code for r in results] == [
        "",
        "invalid_url",
        "invalid_url",
        "http_error",
        "invalid_url",
        "",
    ]
    assert results[0].body == RSS
    assert results[5].body == b"<rss>2</rss>"
    assert all(r.error for r in results[1:5])


def test_it_reports_a_refused_connection(server):
    server.stop()  # nothing listens on that port any more
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.error_code == "network"
    assert result.error == "the server could not be reached"


def test_it_parses_retry_after_values():
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30
    assert parse_retry_after(" 0 ", now) == 0
    assert parse_retry_after("Wed, 01 Jan 2025 12:05:00 GMT", now) == 300
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0  # in the past
    assert parse_retry_after("99999999999", now) == 7 * 24 * 3600
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after(None, now) is None


def test_it_turns_a_bug_into_an_internal_error_for_that_url_only(server, monkeypatch):
    from monitoring.net import antibot

    real = antibot.detect

    def broken(status, headers, body_head=b""):
        if status == 404:
            raise RuntimeError("bug")
        return real(status, headers, body_head)

    monkeypatch.setattr(antibot, "detect", broken)
    server.route("/feed", RSS, headers=RSS_TYPE)
    results = asyncio.run(
        fetch_many([FetchRequest(server.url("/missing")), FetchRequest(server.url("/feed"))])
    )
    assert results[0].error_code == "internal"
    assert "RuntimeError" in results[0].error
    assert results[1].ok and results[1].body == RSS


def test_it_explains_errors_in_the_active_language(server):
    with translation.override("fr"):
        result = fetch(FetchRequest(server.url("/missing")))
    assert result.error_code == "http_error"
    assert result.error == "le serveur a répondu 404"
