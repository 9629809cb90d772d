"""What the add-a-source pages and the `addsource` command ask of the collector:
fetch a page, find its feeds, preview what a recipe reads from it.

A person waits on each of these, in a web request or at a terminal: every fetch of
one call shares one budget (REQUEST_FETCH_BUDGET seconds, well under the web
server's timeout), so a slow site gives a clear sentence, never a stuck page. Fetch
failures become a SourceError whose message is the fetcher's sentence for users.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.net.fetch import fetch
from monitoring.parse import decode_html, parse
from monitoring.parse.budget import time_budget
from monitoring.parse.feeds import looks_like_html, parse_feed
from monitoring.parse.html import preview as html_preview
from monitoring.sources.discover import find_feeds
from monitoring.types import HTML_ACCEPT, FetchRequest, FetchResult, SourceError

log = logging.getLogger(__name__)

# Entries shown by the preview: enough to judge the selectors.
PREVIEW_ENTRIES = 20


@dataclass
class FeedChoice:
    url: str
    title: str = ""
    kind: str = "feed"
    items: int | None = None  # entries found when the candidate was probed


class _Budget:
    """Seconds left of one person's wait."""

    def __init__(self, seconds: float | None = None):
        seconds = settings.REQUEST_FETCH_BUDGET if seconds is None else seconds
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.5, self.deadline - time.monotonic())


def fetch_page(url: str, accept: str = HTML_ACCEPT, budget: _Budget | None = None) -> FetchResult:
    budget = budget or _Budget()
    try:
        result = fetch(FetchRequest(url=url, accept=accept), budget=budget.left())
    except Exception as exc:  # the page must show a sentence, never a traceback
        log.exception("fetching %s for a user failed", url)
        raise SourceError("internal", _("This address could not be fetched.")) from exc
    if not result.ok:
        # The fetcher's sentence is already in the user's language.
        raise SourceError(result.error_code or "fetch", result.error)
    return result


def as_feed(result: FetchResult) -> FeedChoice | None:
    """The page asked for, if it is itself a feed (people paste feed addresses here too).

    Read by the feed parser the poll uses, so what is offered is what will be polled.
    """
    if looks_like_html(result.body):
        return None
    url = result.final_url or result.url
    try:
        parsed = parse_feed(result.body, url, result.headers)
    except SourceError:
        return None
    return FeedChoice(url, parsed.title or _("This address is a feed"), "feed", len(parsed.entries))


def discover(url: str) -> list[FeedChoice]:
    """The feeds of the site at `url`, each checked by fetching it; or the address
    itself when it is a feed. One rule for the website page and `addsource --discover`."""
    budget = _Budget()
    result = fetch_page(url, budget=budget)
    feed = as_feed(result)
    if feed is not None:
        return [feed]
    final_url = result.final_url or url
    links = find_feeds(decode_html(result.body, result.headers), final_url, budget=budget.left())
    return [FeedChoice(link.url, link.title, link.kind, link.items) for link in links]


class NotAFeed(SourceError):
    """The address answers, but with no feed: a web page (whose own feeds, if it
    announces any, are in `feeds`) or something else."""

    def __init__(self, message: str, feeds: list[FeedChoice]):
        super().__init__("not_a_feed", message)
        self.feeds = feeds


def check_feed(url: str) -> FeedChoice:
    """The feed at `url`, fetched once as the poll will: an address that answers an
    error raises SourceError with the fetcher's sentence, one that is no feed raises
    NotAFeed, offering the feeds the page announces. So "Active" means it was read."""
    budget = _Budget()
    result = fetch_page(url, accept=FetchRequest.accept, budget=budget)
    feed = as_feed(result)
    if feed is not None:
        return feed
    if not looks_like_html(result.body):
        raise NotAFeed(_("This address answers, but not with a news feed (RSS or Atom)."), [])
    final_url = result.final_url or url
    links = find_feeds(decode_html(result.body, result.headers), final_url, budget=budget.left())
    feeds = [FeedChoice(link.url, link.title, link.kind, link.items) for link in links]
    if feeds:
        message = _("This address is a web page, not a feed: the feeds it offers are listed above.")
    else:
        message = _(
            "This address is a web page, not a feed, and it offers none. You can still "
            "watch it as a web page."
        )
    raise NotAFeed(message, feeds)


def preview_entries(url: str, config: dict):
    """(entries, warnings) that these selectors extract from the page today."""
    result = fetch_page(url)
    html = decode_html(result.body, result.headers)
    with time_budget(settings.PREVIEW_PARSE_SECONDS):
        entries, warnings = html_preview(html, result.final_url or url, config)
    return list(entries)[:PREVIEW_ENTRIES], list(warnings)


def preview_forum(url: str, config: dict):
    """(posts, warnings) read from the thread today, as the poll will read them."""
    result = fetch_page(url)
    with time_budget(settings.PREVIEW_PARSE_SECONDS):
        posts = parse("forum", result, config).entries
    warnings = [] if posts else [_("No message was found on this page.")]
    return list(posts)[:PREVIEW_ENTRIES], warnings
