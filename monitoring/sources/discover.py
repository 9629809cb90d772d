"""Find the feeds of a website: the candidates its page offers, each fetched and kept
only if it really is a feed (with its title and number of entries).

A person waits on this in the add-a-source page: every fetch here shares one budget
(REQUEST_FETCH_BUDGET), so that slow sites cannot hold a web worker.
"""

import asyncio

from django.conf import settings

from monitoring.net.fetch import fetch_many
from monitoring.parse.feedlinks import FeedLink, discover_feeds
from monitoring.parse.feeds import parse_feed
from monitoring.types import FetchRequest, SourceError

# --- probing ------------------------------------------------------------------------


async def probe_candidates(
    candidates: list[FeedLink], limit: int = 20, budget: float | None = None
) -> list[FeedLink]:
    """Fetch up to `limit` candidates; keep those that parse as feeds.

    Each kept FeedLink gets the feed's title and its number of entries; feeds reached
    twice (/feed and /feed/ redirect to one place) are kept once.
    """
    candidates = candidates[:limit]
    if not candidates:
        return []
    results = await fetch_many([FetchRequest(url=c.url) for c in candidates], budget=budget)
    feeds: list[FeedLink] = []
    seen: set[str] = set()
    for candidate, result in zip(candidates, results, strict=True):
        if not result.ok or result.not_modified or not result.body:
            continue
        final = result.final_url or result.url
        if final in seen:
            continue
        try:
            parsed = parse_feed(result.body, final, result.headers)
        except SourceError:
            continue
        seen.add(final)
        feeds.append(
            FeedLink(
                url=final,
                title=parsed.title or candidate.title,
                kind=candidate.kind,
                items=len(parsed.entries),
            )
        )
    return feeds


def find_feeds(html: str, url: str, limit: int = 20, budget: float | None = None) -> list[FeedLink]:
    """Synchronous discovery + probing, for views and commands (not inside an event loop).

    When the page advertises feeds, only those and feed-like links are probed: the
    usual paths are guesses, worth requests only when the page says nothing.
    """
    candidates = discover_feeds(html, url)
    if any(c.kind in ("rss", "atom", "json") for c in candidates):
        candidates = [c for c in candidates if c.kind != "guess"]
    if budget is None:
        budget = settings.REQUEST_FETCH_BUDGET
    return asyncio.run(probe_candidates(candidates, limit=limit, budget=budget))
