"""What a kind of source means, in one registry every stage asks.

A source's kind decides how its body is parsed, what the fetcher asks the server
for, whether a URL's fragment tells two items apart (a forum's #post-12), whether
its listing's links may be followed, how much its words weigh as evidence of a
reputation, and what the demo serves for it. Each of these was an if-chain of its
own; here a kind is one row, in the spirit of lemon24/reader's small registries of
retrievers and parsers: adding a kind means adding a row (and a SourceKind choice,
which tests/test_source_kinds.py keeps in step).

Keys are SourceKind values; this module imports no model, so the parse stage and
the fetcher can read it without loading Django's model layer.
"""

from dataclasses import dataclass

from monitoring.types import HTML_ACCEPT, FetchRequest

# Parsers, by what the body is.
FEED_PARSER = "feed"  # RSS, Atom, JSON Feed (monitoring/parse/feeds.py)
PAGE_PARSER = "page"  # a page read with CSS selectors (monitoring/parse/html.py)
FORUM_PARSER = "forum"  # a thread's posts (monitoring/parse/forum.py)
# Nothing to parse: a platform's API gives entries (monitoring/connectors/).
CONNECTOR_READER = "connector"

# A review with stars is read by customers deciding where to go: the weightiest
# evidence, whatever kind of source carried it.
REVIEW_WEIGHT = 1.0
# A mention seen through no source the organisation still follows.
UNKNOWN_WEIGHT = 0.5


@dataclass(frozen=True)
class Kind:
    parser: str
    accept: str  # the HTTP Accept header of its fetches
    keep_fragment: bool  # "#post-12" names a different item
    follows_links: bool  # its listing's links may be read in full (config follow_links)
    # From 0 to 1, how much what it says weighs for a reputation: news reaches many,
    # forum posts and blogs fewer. Alert severity and the inbox's "what to answer
    # first" both read it (reputation/alerts/severity.py, reputation/inbox/priority.py).
    weight: float
    content_type: str  # what a server of this kind answers (the demo serves it)


FEED_ACCEPT = FetchRequest.accept
FEED_TYPE = "application/rss+xml"
HTML_TYPE = "text/html"
JSON_ACCEPT = JSON_TYPE = "application/json"

KINDS: dict[str, Kind] = {
    "feed": Kind(FEED_PARSER, FEED_ACCEPT, False, False, 0.6, FEED_TYPE),
    "search": Kind(FEED_PARSER, FEED_ACCEPT, False, False, 0.8, FEED_TYPE),
    "html": Kind(PAGE_PARSER, HTML_ACCEPT, False, True, 0.6, HTML_TYPE),
    "forum": Kind(FORUM_PARSER, HTML_ACCEPT, True, False, 0.5, HTML_TYPE),
    # Reviews of the business on the platform it lives on: rated reviews weigh
    # REVIEW_WEIGHT anyway; "#<review id>" tells two reviews on one page apart.
    "connector": Kind(CONNECTOR_READER, JSON_ACCEPT, True, False, 0.9, JSON_TYPE),
}


def get(kind: str) -> Kind | None:
    return KINDS.get(kind)


def accept(kind: str) -> str:
    found = KINDS.get(kind)
    return found.accept if found else FEED_ACCEPT


def keep_fragment(kind: str) -> bool:
    found = KINDS.get(kind)
    return found.keep_fragment if found else False


def follows_links(kind: str) -> bool:
    found = KINDS.get(kind)
    return found.follows_links if found else False


def weight(kind: str | None, rated: bool = False) -> float:
    """How much a mention weighs as evidence, from 0 to 1: a rated review the most,
    else its source's kind (UNKNOWN_WEIGHT without a source)."""
    if rated:
        return REVIEW_WEIGHT
    found = KINDS.get(kind or "")
    return found.weight if found else UNKNOWN_WEIGHT


def content_type(kind: str) -> str:
    found = KINDS.get(kind)
    return found.content_type if found else HTML_TYPE


def reads_itself(kind: str) -> bool:
    """True for kinds read through a platform's API rather than by fetching the URL."""
    found = KINDS.get(kind)
    return bool(found and found.parser == CONNECTOR_READER)
