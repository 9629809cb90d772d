"""Our feed parser against the expected outputs shipped with two other feed libraries.

rss-parser (JavaScript, test/output/*.json) and feed-rs (Rust, *.serde.json) each
publish what they read in real feeds. Agreement on titles, links and dates is
measured over every item of every fixture that has an expected output; the floors
below are the rates measured when this test was written (see the printed report),
so a regression in encoding, link resolution or date handling makes them fail.
"""

import json
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from monitoring.parse.feeds import parse_feed
from monitoring.parse.text import html_to_text
from monitoring.tools.shared_data import shared_data
from monitoring.types import SourceError
from tests.shared import needs

SHARED = shared_data("feeds")
RSS_PARSER = SHARED / "rss-parser-js-fixtures" / "test"
FEED_RS = SHARED / "feed-rs-fixtures" / "feed-rs" / "fixture"

pytestmark = needs("feeds")


FEED_URL = "https://example.org/feed"


def _norm_title(value) -> str:
    if value and "\ufffd" in value:
        return ""  # the reference mis-decoded this one (encoding.rss): not a judge of ours
    return " ".join(html_to_text(value or "").split()).casefold()


def _norm_link(value) -> str:
    """References keep relative links as written; we resolve them against the feed URL."""
    if not value:
        return ""
    parts = urlsplit(urljoin(FEED_URL, value.strip()))
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _norm_date(value) -> str:
    if not value:
        return ""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M:%S%z")


def _ours_date(entry) -> str:
    return entry.published.strftime("%Y-%m-%dT%H:%M:%S%z") if entry.published else ""


def _score(pairs):
    """pairs: (expected, ours) -> share of equal pairs among those with an expectation."""
    judged = [(e, o) for e, o in pairs if e]
    return sum(e == o for e, o in judged) / len(judged), len(judged)


def _rss_parser_pairs():
    titles, links, dates = [], [], []
    for expected_file in sorted((RSS_PARSER / "output").glob("*.json")):
        inputs = list((RSS_PARSER / "input").glob(expected_file.stem + ".*"))
        if not inputs:
            continue
        expected = json.loads(expected_file.read_bytes().decode("utf-8", errors="replace"))
        items = expected.get("feed", {}).get("items", [])
        try:
            ours = parse_feed(inputs[0].read_bytes(), FEED_URL).entries
        except SourceError:
            ours = []
        for i, item in enumerate(items[:300]):
            mine = ours[i] if i < len(ours) else None
            titles.append(
                (_norm_title(item.get("title")), _norm_title(mine.title) if mine else None)
            )
            links.append((_norm_link(item.get("link")), _norm_link(mine.url) if mine else None))
            dates.append((_norm_date(item.get("isoDate")), _ours_date(mine) if mine else None))
    return titles, links, dates


def _feed_rs_pairs():
    titles, links, dates = [], [], []
    for expected_file in sorted(FEED_RS.glob("*/*.serde.json")):
        name = expected_file.name.removesuffix(".serde.json")
        inputs = [p for p in expected_file.parent.glob(name + ".*") if p != expected_file]
        if not inputs:
            continue
        expected = json.loads(expected_file.read_bytes().decode("utf-8", errors="replace"))
        try:
            ours = parse_feed(inputs[0].read_bytes(), FEED_URL).entries
        except SourceError:
            ours = []
        for i, item in enumerate(expected.get("entries", [])):
            mine = ours[i] if i < len(ours) else None
            title = (item.get("title") or {}).get("content")
            titles.append((_norm_title(title), _norm_title(mine.title) if mine else None))
            alternates = [
                link["href"]
                for link in item.get("links", [])
                if link.get("rel") in (None, "alternate")
            ]
            expected_link = _norm_link(alternates[0]) if alternates else ""
            links.append((expected_link, _norm_link(mine.url) if mine else None))
            when = item.get("published") or item.get("updated")
            dates.append(
                (
                    _norm_date(when) if item.get("published") else "",
                    _ours_date(mine) if mine else None,
                )
            )
    return titles, links, dates


def test_it_agrees_with_rss_parser_expected_outputs():
    titles, links, dates = _rss_parser_pairs()
    report = {
        name: _score(pairs)
        for name, pairs in (("titles", titles), ("links", links), ("dates", dates))
    }
    print("rss-parser agreement:", {k: f"{rate:.3f} of {n}" for k, (rate, n) in report.items()})
    assert report["titles"][0] >= 0.99
    assert report["links"][0] >= 0.99
    assert report["dates"][0] >= 0.99


def test_it_decodes_the_feed_the_reference_could_not():
    """encoding.rss is ISO-8859-1: rss-parser's expected output has U+FFFD, ours must not."""
    entries = parse_feed((RSS_PARSER / "input" / "encoding.rss").read_bytes(), FEED_URL).entries
    assert entries and all("\ufffd" not in e.title + e.text for e in entries)
    assert any("ç" in e.title or "ã" in e.title for e in entries)


def test_it_agrees_with_feed_rs_expected_outputs():
    titles, links, dates = _feed_rs_pairs()
    report = {
        name: _score(pairs)
        for name, pairs in (("titles", titles), ("links", links), ("dates", dates))
    }
    print("feed-rs agreement:", {k: f"{rate:.3f} of {n}" for k, (rate, n) in report.items()})
    assert report["titles"][0] >= 0.99
    assert report["links"][0] >= 0.99
    assert report["dates"][0] >= 0.99
