"""Plain data passed between the collection stages (fetch -> parse/extract -> store).

Kept free of Django so that fetch, parse, extract, match and sentiment stay plain
functions that tests and benchmarks can call directly.
"""

from dataclasses import dataclass, field
from datetime import datetime

# What pages are asked for (feeds ask for FetchRequest.accept, the default).
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass
class FetchRequest:
    url: str
    etag: str = ""
    last_modified: str = ""
    # Sent as the Accept header; feeds and pages ask for different things.
    accept: str = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"


@dataclass
class FetchResult:
    url: str  # the URL that was asked for
    final_url: str = ""  # after redirects
    status: int | None = None  # HTTP status; None when no response was received
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    not_modified: bool = False
    # Empty on success. `error` is a sentence for users ("the server answered 404");
    # `error_code` a stable machine code (see monitoring/fetch.py).
    error: str = ""
    error_code: str = ""
    retry_after: int | None = None  # seconds, from Retry-After on 429/503
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Entry:
    """One item found in a feed or page, before storage."""

    guid: str = ""
    url: str = ""
    title: str = ""
    text: str = ""  # plain text, markup removed
    author: str = ""
    published: datetime | None = None  # aware; None when the source gives no date
    rating: float | None = None  # normalised to [0, 1] (stars / best)
    language: str = ""  # a hint from the source (xml:lang, <html lang>), may be empty


@dataclass
class Parsed:
    """What a source gave: its entries, and what it says about itself."""

    entries: list[Entry] = field(default_factory=list)
    title: str = ""
    site_url: str = ""
    # WebSub discovery (<link rel="hub"> and rel="self"): where to ask for pushes.
    hub: str = ""
    self_url: str = ""


class SourceError(Exception):
    """A failure to report on the source: `message` is for users, `code` is stable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
