"""robots.txt: fetched once per site through the same safe fetcher, cached a while.

What an answer means follows Google's documented behaviour:

- 2xx: the rules apply (parsed with protego: wildcards, longest match);
- 4xx (404, 410, even 401/403): no rules, everything is allowed;
- 429 and 5xx: the site is in trouble, everything is disallowed for a short while;
- no answer at all (DNS, connection, timeout...): allowed, remembered briefly, so
  that the fetch itself runs and reports the real failure to the user.

The cache lives in the process (a Celery worker keeps it between polls). Parsing
or fetching problems never raise: at worst a URL is allowed.
"""

import asyncio
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

log = logging.getLogger(__name__)

MAX_BYTES = 500 * 1024  # Google reads the first 500 KiB
TTL_RULES = 6 * 3600
TTL_SERVER_ERROR = 10 * 60
TTL_UNREACHABLE = 60
CACHE_SIZE = 10_000
CRAWL_DELAY_MAX = 24 * 3600


@dataclass
class Rules:
    expires: float
    parser: Protego | None = None
    disallow_all: bool = False

    def allows(self, url: str, user_agent: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        try:
            return bool(self.parser.can_fetch(url, user_agent))
        except Exception:  # a parser bug must not stop polling
            log.warning("robots.txt check failed for %s", url, exc_info=True)
            return True

    def crawl_delay(self, user_agent: str) -> float:
        """Seconds the site asks between two requests (robots.txt Crawl-delay), 0 if none."""
        if self.parser is None:
            return 0.0
        try:
            delay = self.parser.crawl_delay(user_agent)
        except Exception:
            log.warning("robots.txt Crawl-delay unreadable", exc_info=True)
            return 0.0
        # Bounded: a site asking more than a day is read about once a day.
        return min(max(float(delay or 0), 0.0), CRAWL_DELAY_MAX)


_cache: "OrderedDict[str, Rules]" = OrderedDict()


def _now() -> float:
    return time.monotonic()


def clear_cache() -> None:
    _cache.clear()


def origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    return f"{parts.scheme}://{host}:{port}"


def rules_from(result, now: float) -> Rules:
    """Rules from the FetchResult of /robots.txt."""
    status = result.status
    if result.ok and status is not None and 200 <= status < 300:
        try:
            parser = Protego.parse(result.body.decode("utf-8", "replace"))
        except Exception:
            log.warning("unreadable robots.txt at %s", result.url, exc_info=True)
            parser = None
        return Rules(now + TTL_RULES, parser)
    if status is not None and (status == 429 or status >= 500):
        return Rules(now + TTL_SERVER_ERROR, disallow_all=True)
    if status is not None and 400 <= status < 500:
        return Rules(now + TTL_RULES)
    return Rules(now + TTL_UNREACHABLE)


# A poll fetches in its own thread while the main thread may fetch articles for
# follow_links sources: both update the cache, the lock keeps its order whole.
_cache_lock = threading.Lock()


def _remember(key: str, rules: Rules) -> None:
    with _cache_lock:
        _cache[key] = rules
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


class RobotsChecker:
    """Per fetch_many call: one lock per site, so a site's robots.txt is fetched once.

    `fetch_robots(url)` is an async callable returning the FetchResult of that URL.
    """

    def __init__(self, fetch_robots, user_agent: str):
        self.fetch_robots = fetch_robots
        self.user_agent = user_agent
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        key = origin(url)
        rules = self._fresh(key)
        if rules is None:
            lock = self._locks.setdefault(key, asyncio.Lock())
            async with lock:
                rules = self._fresh(key)
                if rules is None:
                    rules = await self._load(key)
                    _remember(key, rules)
        return rules.allows(url, self.user_agent)

    def crawl_delay(self, url: str) -> float:
        """The site's Crawl-delay, once allowed() has read its robots.txt."""
        rules = _cache.get(origin(url))
        return rules.crawl_delay(self.user_agent) if rules is not None else 0.0

    def _fresh(self, key: str) -> Rules | None:
        rules = _cache.get(key)
        if rules is not None and rules.expires > _now():
            return rules
        return None

    async def _load(self, key: str) -> Rules:
        try:
            result = await self.fetch_robots(key + "/robots.txt")
            return rules_from(result, _now())
        except Exception:
            log.warning("fetching robots.txt of %s failed", key, exc_info=True)
            return Rules(_now() + TTL_UNREACHABLE)
