"""The parse dispatcher used by the poll stage: every kind, and only SourceError out."""

import pytest
from django.utils import translation

from monitoring import parse as parse_module
from monitoring.parse import decode_html, parse
from monitoring.tools.shared_data import shared_data
from monitoring.types import FetchResult, SourceError
from tests.shared import needs


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (msgids); the UI's French comes from the catalogue."""
    with translation.override("en"):
        yield


FEEDS = shared_data("feeds")
needs_shared = needs("feeds")

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Mairie</title><link>https://mairie.example.fr/</link>
<item><title>Conseil municipal</title><link>/cm</link>
<pubDate>Mon, 04 Mar 2024 18:00:00 +0100</pubDate></item>
</channel></rss>"""


def result(body: bytes, content_type="application/rss+xml", url="https://mairie.example.fr/rss"):
    return FetchResult(
        url=url, final_url=url, status=200, body=body, headers={"content-type": content_type}
    )


@pytest.mark.parametrize("kind", ["feed", "search"])
def test_it_parses_feeds_for_feed_and_search_sources(kind):
    parsed = parse(kind, result(RSS), {})
    assert parsed.title == "Mairie"
    assert parsed.site_url == "https://mairie.example.fr/"
    assert [(e.title, e.url) for e in parsed.entries] == [
        ("Conseil municipal", "https://mairie.example.fr/cm")
    ]


def test_it_resolves_links_against_the_final_url_after_redirects():
    fetched = result(RSS.replace(b"<link>https://mairie.example.fr/</link>", b""))
    fetched.url, fetched.final_url = "http://old.example/rss", "https://new.example/flux/rss"
    assert parse("feed", fetched, {}).entries[0].url == "https://new.example/cm"


@needs_shared
def test_it_passes_the_content_type_charset_to_the_feed_parser():
    body = FEEDS / "miniflux-testdata/internal/reader/parser/testdata/encoding_WINDOWS-1251.xml"
    parsed = parse("feed", result(body.read_bytes(), "text/xml; charset=windows-1251"), {})
    assert parsed.entries[0].title == "Цитата #17703"


def test_it_reads_html_pages_with_selectors_in_their_declared_charset():
    html = '<html lang="fr"><head><meta charset="windows-1252"></head><body>'
    html += '<div class="post"><a href="/p/1">Élections à Épinal</a></div></body></html>'
    parsed = parse("html", result(html.encode("cp1252"), "text/html"), {"item": ".post"})
    assert [(e.title, e.url) for e in parsed.entries] == [
        ("Élections à Épinal", "https://mairie.example.fr/p/1")
    ]


def test_it_prefers_the_http_charset_and_guesses_without_any():
    text = "<p>Crème brûlée à la française</p>"
    assert "brûlée" in decode_html(
        text.encode("latin-1"), {"content-type": "text/html; charset=iso-8859-1"}
    )
    assert "brûlée" in decode_html(text.encode("utf-8"), {})
    with pytest.raises(SourceError) as caught:
        decode_html(b"  ", {})
    assert caught.value.code == "empty"


def test_it_asks_for_selectors_on_a_listing_page_without_config():
    html = b"<html><body><ul><li><a href='/a'>a</a></li></ul></body></html>"
    with pytest.raises(SourceError) as caught:
        parse("html", result(html, "text/html"), {})
    assert caught.value.code == "needs_selectors"


def test_it_sends_forum_pages_to_the_forum_extractor(monkeypatch):
    import monitoring.parse as stage
    from monitoring.types import Entry

    calls = []

    def fake(html, url, config=None, now=None):
        calls.append((html, url, config))
        return [Entry(title="post", text="hello")]

    monkeypatch.setattr(stage, "extract_forum_posts", fake)
    parsed = parse("forum", result(b"<html><body>thread</body></html>", "text/html"), {"x": 1})
    assert [e.title for e in parsed.entries] == ["post"]
    assert calls[0][1] == "https://mairie.example.fr/rss" and calls[0][2] == {"x": 1}
    assert "thread" in calls[0][0]


def test_it_refuses_unknown_kinds():
    with pytest.raises(SourceError) as caught:
        parse("carrier-pigeon", result(RSS), {})
    assert caught.value.code == "unknown_kind"


def test_it_turns_unexpected_exceptions_into_source_errors(monkeypatch):
    import monitoring.parse as stage

    def boom(*args, **kwargs):
        raise RecursionError("deep")

    monkeypatch.setattr(stage, "parse_feed", boom)
    with pytest.raises(SourceError) as caught:
        parse("feed", result(RSS), {})
    assert caught.value.code == "parse_error"
    assert "RecursionError" in caught.value.message


@pytest.mark.parametrize("kind", ["feed", "search", "html"])
@pytest.mark.parametrize(
    "body",
    [b"", b"\xff\xfe\x00\x00garbage", b"<?xml version='1.0'?><x/>", b"{]", b"<html><<<<<"],
)
def test_it_raises_nothing_but_source_errors_on_garbage(kind, body):
    with pytest.raises(SourceError):
        parse(kind, result(body, "application/octet-stream"), {})


def test_it_tolerates_a_config_that_is_not_a_dict():
    parsed = parse("feed", result(RSS), None)  # type: ignore[arg-type]
    assert parsed.entries
    assert parse_module.kinds.get("search").parser == parse_module.kinds.FEED_PARSER
