"""robots.txt is fetched once per site, obeyed, and never breaks a fetch."""

import asyncio
import time

import pytest

from monitoring.net import robots
from monitoring.net.fetch import fetch, fetch_many
from monitoring.types import FetchRequest, FetchResult

RSS_TYPE = {"Content-Type": "application/rss+xml"}
TEXT = {"Content-Type": "text/plain"}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.FETCH_RESPECT_ROBOTS = True
    settings.FETCH_USER_AGENT = "VeilleReputationBot/0.1 (+https://example.org/bot)"
    robots.clear_cache()
    yield
    robots.clear_cache()


def _robots_hits(server):
    return sum(1 for _m, p, _h in server.requests if p == "/robots.txt")


def test_it_obeys_a_disallow_and_fetches_robots_once(server):
    server.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n", headers=TEXT)
    server.route("/private/feed", b"<rss/>", headers=RSS_TYPE)
    server.route("/public/feed", b"<rss/>", headers=RSS_TYPE)
    urls = [server.url("/private/feed"), server.url("/public/feed")] * 3
    results = asyncio.run(fetch_many([FetchRequest(u) for u in urls]))
    assert [r.error_code for r in results] == ["robots", ""] * 3
    assert results[0].error.startswith("blocked by robots.txt")
    assert "/private/feed" not in [p for _m, p, _h in server.requests]
    assert _robots_hits(server) == 1
    # Cached for the next poll too.
    assert fetch(FetchRequest(server.url("/public/feed"))).ok
    assert _robots_hits(server) == 1


def test_it_obeys_rules_written_for_our_user_agent(server):
    server.route(
        "/robots.txt",
        b"User-agent: SomeOtherBot\nDisallow:\n\nUser-agent: VeilleReputationBot\nDisallow: /\n",
        headers=TEXT,
    )
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    assert fetch(FetchRequest(server.url("/feed"))).error_code == "robots"


def test_it_checks_robots_of_a_redirect_target(server):
    server.route("/robots.txt", b"User-agent: *\nDisallow: /blocked\n", headers=TEXT)
    server.route("/feed", status=301, headers={"Location": "/blocked/feed"})
    server.route("/blocked/feed", b"<rss/>", headers=RSS_TYPE)
    assert fetch(FetchRequest(server.url("/feed"))).error_code == "robots"


@pytest.mark.parametrize("status", [404, 410, 401, 403])
def test_it_allows_everything_when_robots_is_missing_or_forbidden(server, status):
    server.route("/robots.txt", b"nope", status=status, headers=TEXT)
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    assert fetch(FetchRequest(server.url("/feed"))).ok


@pytest.mark.parametrize("status", [500, 503, 429])
def test_it_disallows_for_a_while_when_robots_fails_on_the_server(server, status):
    server.route("/robots.txt", b"oops", status=status, headers=TEXT)
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.error_code == "robots"
    assert "/feed" not in [p for _m, p, _h in server.requests]
    rules = robots._cache[robots.origin(server.url("/"))]
    assert rules.disallow_all
    assert rules.expires - robots._now() <= robots.TTL_SERVER_ERROR


def test_it_fetches_when_robots_does_not_answer_in_time(server, settings):
    settings.FETCH_READ_TIMEOUT = 0.3
    server.route("/robots.txt", handler=lambda req: time.sleep(1.5) or (200, TEXT, b""))
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.ok, result.error


@pytest.mark.parametrize(
    "body,headers",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", {"Content-Type": "image/png"}),
        (b"\xff\xfe\x00garbage\x00\x00Disallow", TEXT),
        (b"User-agent: *\nDisallow: /" + b"a" * 600_000, TEXT),  # larger than Google reads
    ],
)
def test_it_survives_a_broken_robots_txt(server, body, headers):
    server.route("/robots.txt", body, headers=headers)
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    assert fetch(FetchRequest(server.url("/feed"))).ok


def test_it_does_not_ask_for_robots_when_told_not_to(server, settings):
    settings.FETCH_RESPECT_ROBOTS = False
    server.route("/robots.txt", b"User-agent: *\nDisallow: /\n", headers=TEXT)
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    assert fetch(FetchRequest(server.url("/feed"))).ok
    assert _robots_hits(server) == 0


def test_it_turns_answers_into_rules():
    now = 1000.0
    ok = FetchResult(url="u", status=200, body=b"User-agent: *\nDisallow: /x\n")
    rules = robots.rules_from(ok, now)
    assert not rules.allows("http://h/x/1", "Bot") and rules.allows("http://h/y", "Bot")
    assert rules.expires == now + robots.TTL_RULES
    gone = FetchResult(url="u", status=404, error="x", error_code="http_error")
    assert robots.rules_from(gone, now).allows("http://h/x", "Bot")
    down = FetchResult(url="u", status=502, error="x", error_code="http_error")
    assert not robots.rules_from(down, now).allows("http://h/x", "Bot")
    silent = FetchResult(url="u", error="x", error_code="timeout")
    assert robots.rules_from(silent, now).allows("http://h/x", "Bot")
    assert robots.rules_from(silent, now).expires == now + robots.TTL_UNREACHABLE


def test_it_expires_cached_rules(server, monkeypatch):
    server.route("/robots.txt", b"User-agent: *\nDisallow:\n", headers=TEXT)
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    assert fetch(FetchRequest(server.url("/feed"))).ok
    later = time.monotonic() + robots.TTL_RULES + 1
    monkeypatch.setattr(robots, "_now", lambda: later)
    assert fetch(FetchRequest(server.url("/feed"))).ok
    assert _robots_hits(server) == 2
