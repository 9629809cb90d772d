"""STUB (to be replaced by the parse work): turn a fetched body into entries."""

import calendar
from datetime import UTC, datetime

import feedparser
from bs4 import BeautifulSoup

from monitoring.types import Entry, FetchResult, Parsed, SourceError


def _text(html: str) -> str:
    return BeautifulSoup(html or "", "html.parser").get_text(" ", strip=True)


def parse_feed(body: bytes, url: str) -> Parsed:
    doc = feedparser.parse(body, response_headers={"content-location": url})
    if not doc.entries and doc.get("bozo"):
        raise SourceError("not_a_feed", "this page is not a feed")
    parsed = Parsed(title=doc.feed.get("title", ""), site_url=doc.feed.get("link", ""))
    for e in doc.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        content = e.get("content", [{}])[0].get("value") if e.get("content") else None
        parsed.entries.append(
            Entry(
                guid=e.get("id") or e.get("link") or e.get("title", ""),
                url=e.get("link", ""),
                title=_text(e.get("title", "")),
                text=_text(content or e.get("summary", "")),
                author=e.get("author", ""),
                published=datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None,
            )
        )
    return parsed


def parse(kind: str, result: FetchResult, config: dict) -> Parsed:
    return parse_feed(result.body, result.final_url or result.url)
