"""Collect a diagnostic's findings with the collector's own parts: the guarded fetcher
(anti-SSRF, bounded size and time, robots.txt), the feed and review readers, the
matcher and the tone toward a name. Nothing is stored as an Item or a Mention: the
findings come back as plain data for score.py and the result page.

Every fetch of one diagnostic shares DIAGNOSTIC_FETCH_BUDGET seconds, so that the
visitor has an answer within a minute whatever the sites do.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings

from monitoring.matching.matcher import Matcher, Query
from monitoring.net.fetch import fetch_many
from monitoring.parse import decode_html
from monitoring.parse.feedlinks import discover_feeds
from monitoring.parse.feeds import parse_feed
from monitoring.sentiment import from_rating, score_toward
from monitoring.types import HTML_ACCEPT, Entry, FetchRequest, FetchResult, SourceError
from reputation.diagnostic import providers, reviews
from reputation.diagnostic.providers import Place

log = logging.getLogger(__name__)

MAX_ENTRIES_PER_PLACE = 100
MAX_MENTIONS = 100
MAX_FEEDS = 5  # feeds of the website read
MAX_TEXT = 5000  # characters of an entry read for its tone


@dataclass
class Findings:
    mentions: list[dict] = field(default_factory=list)
    reviews: int = 0  # reviews the pages state (or the ones read)
    read_reviews: int = 0
    average: float | None = None
    answered: int = 0
    feeds: list[str] = field(default_factory=list)
    follow: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


class _Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.5, self.deadline - time.monotonic())


def _fetch(requests: list[FetchRequest], budget: _Budget) -> list[FetchResult]:
    if not requests:
        return []
    return asyncio.run(fetch_many(requests, budget=budget.left()))


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def collect(
    name: str, town: str, website: str, language: str, progress: Callable[[int, str], None]
) -> Findings:
    budget = _Budget(settings.DIAGNOSTIC_FETCH_BUDGET)
    found = Findings()
    reader = _Reader(name)
    searches = providers.searches(name, town, language)
    pages = providers.review_pages(website)

    progress(10, "searching")
    results = _fetch(
        [FetchRequest(url=p.url) for p in searches]
        + [FetchRequest(url=p.url, accept=HTML_ACCEPT) for p in pages],
        budget,
    )
    for place, result in zip(searches, results[: len(searches)], strict=True):
        entries = _feed_entries(place, result, found)
        if entries is not None:
            found.follow.append(place.as_dict())
            reader.read(place, entries)

    progress(45, "website")
    feed_requests: list[FetchRequest] = []
    for place, result in zip(pages, results[len(searches) :], strict=True):
        html = _html(place, result, found)
        if html is None:
            continue
        page = reviews.read(html, result.final_url or place.url)
        if page.entries:
            found.follow.append(place.as_dict())
            found.reviews += page.count
            found.read_reviews += len(page.entries)
            found.answered += page.answered
            if page.average is not None and found.average is None:
                found.average = page.average
            reader.read(place, page.entries)
        if place.url == website:
            feed_requests = _feed_candidates(html, result.final_url or place.url)

    progress(65, "feeds")
    feed_places = [Place(r.url, "feed") for r in feed_requests]
    for place, result in zip(feed_places, _fetch(feed_requests, budget), strict=True):
        entries = _feed_entries(place, result, found, quiet=True)
        if entries is None or len(found.feeds) >= MAX_FEEDS:
            continue
        place.url = result.final_url or place.url
        if place.url in found.feeds:
            continue
        found.feeds.append(place.url)
        found.follow.append(place.as_dict())
        reader.read(place, entries)

    progress(85, "reading")
    found.mentions = reader.mentions()
    if found.average is None and found.read_reviews:
        rated = [m["rating"] for m in found.mentions if m["review"] and m["rating"] is not None]
        found.average = round(sum(rated) / len(rated), 4) if rated else None
    return found


def _error(found: Findings, place: Place, message: str) -> None:
    found.errors.append({"site": site_of(place.url), "url": place.url, "error": message})


def _feed_entries(place, result, found, quiet: bool = False) -> list[Entry] | None:
    if not result.ok:
        if not quiet:
            _error(found, place, result.error)
        return None
    try:
        return parse_feed(result.body, result.final_url or place.url, result.headers).entries
    except SourceError as exc:
        if not quiet:
            _error(found, place, exc.message)
        return None


def _html(place, result, found) -> str | None:
    if not result.ok:
        _error(found, place, result.error)
        return None
    try:
        return decode_html(result.body, result.headers)
    except SourceError as exc:
        _error(found, place, exc.message)
        return None


def _feed_candidates(html: str, url: str) -> list[FetchRequest]:
    """The feeds the website advertises (the usual paths only when it advertises none)."""
    candidates = discover_feeds(html, url)
    if any(c.kind in ("rss", "atom", "json") for c in candidates):
        candidates = [c for c in candidates if c.kind != "guess"]
    return [FetchRequest(url=c.url) for c in candidates[: MAX_FEEDS * 2]]


class _Reader:
    """Entries -> mentions of the business: matched by name (unless they are its own
    reviews), each with its tone toward the name; one per address."""

    def __init__(self, name: str):
        self.name = name
        self.matcher = Matcher([Query(1, [name])])
        self.found: dict[str, dict] = {}

    def read(self, place: Place, entries: list[Entry]) -> None:
        for entry in entries[:MAX_ENTRIES_PER_PLACE]:
            key = entry.guid or entry.url or f"{entry.title}|{entry.text[:200]}"
            if key in self.found or len(self.found) >= MAX_MENTIONS * 3:
                continue
            document = f"{entry.title}\n{entry.text}"
            if not place.own and not self.matcher.find(document, entry.language):
                continue
            self.found[key] = self._mention(place, entry)

    def _mention(self, place: Place, entry: Entry) -> dict:
        if entry.rating is not None:
            tone = from_rating(entry.rating).label
        else:
            text = (entry.text or "")[:MAX_TEXT]
            tone = score_toward(text, [self.name], entry.language, title=entry.title).label
        return {
            "title": (entry.title or entry.text or "")[:200],
            "url": entry.url if entry.url.startswith(("http://", "https://")) else "",
            "site": site_of(entry.url or place.url) or site_of(place.url),
            "published": _utc(entry.published),
            "tone": tone,
            "rating": entry.rating,
            "review": place.own,
        }

    def mentions(self) -> list[dict]:
        # ISO dates in UTC sort as text.
        rows = list(self.found.values())
        rows.sort(key=lambda m: m["published"] or "", reverse=True)
        return rows[:MAX_MENTIONS]


def _utc(when) -> str | None:
    return when.astimezone(UTC).isoformat() if when is not None else None
