"""Feeds from the real world (../shared/data/feeds) and hostile bodies."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation

from monitoring.parse.feeds import MAX_ENTRIES, parse_feed, unwrap_redirect
from monitoring.tools.shared_data import shared_data
from monitoring.types import SourceError
from tests.shared import needs


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (msgids); the UI's French comes from the catalogue."""
    with translation.override("en"):
        yield


FEEDS = shared_data("feeds")
MINIFLUX = FEEDS / "miniflux-testdata" / "internal" / "reader"
SIMPLEPIE = FEEDS / "simplepie-testdata" / "tests" / "data"
FEED_RS = FEEDS / "feed-rs-fixtures" / "feed-rs" / "fixture"
FEEDJIRA = FEEDS / "feedjira-sample-feeds" / "spec" / "sample_feeds"
PROF18 = FEEDS / "prof18-rssparser-fixtures" / "rssparser" / "src" / "commonTest" / "resources"

needs_shared = needs("feeds")


def parse_file(path: Path, url="https://example.org/feed", content_type=""):
    headers = {"content-type": content_type} if content_type else {}
    return parse_feed(path.read_bytes(), url, headers)


# --- encodings ----------------------------------------------------------------------


@needs_shared
def test_it_reads_a_french_iso_8859_1_feed_without_declaration():
    # Served as it is in the wild: no XML declaration, no charset in the header.
    parsed = parse_file(
        MINIFLUX / "parser/testdata/no_encoding_ISO-8859-1.xml", content_type="application/rss+xml"
    )
    first = parsed.entries[0]
    assert first.title == "Perturbateurs endocriniens : quels effets sur le cerveau ?"
    assert "être à l'origine de troubles neuro-développementaux" in first.text
    assert first.published == datetime(2018, 10, 17, 10, 30, tzinfo=UTC)
    assert all("\ufffd" not in e.title + e.text for e in parsed.entries)


@needs_shared
def test_it_reads_windows_1251():
    parsed = parse_file(MINIFLUX / "parser/testdata/encoding_WINDOWS-1251.xml")
    assert parsed.title == "iBash.Org.Ru"
    assert parsed.entries[0].title == "Цитата #17703"
    assert parsed.entries[0].language == "ru"


@needs_shared
def test_it_reads_iso_8859_1_declared_in_the_prolog():
    parsed = parse_file(MINIFLUX / "parser/testdata/encoding_ISO-8859-1.xml")
    assert parsed.entries and parsed.entries[0].language == "de"
    assert any("ü" in e.title or "ö" in e.title or "ä" in e.title for e in parsed.entries)


@needs_shared
def test_it_reads_utf8_declared_as_windows_1252():
    assert parse_file(MINIFLUX / "encoding/testdata/windows-1252-incorrect-prolog.xml").title == (
        "Euro €"
    )
    assert parse_file(MINIFLUX / "encoding/testdata/windows-1252.xml").title == "Euro €"


@needs_shared
@pytest.mark.parametrize("name", ["feed-utf16be.xml", "feed-utf16le.xml"])
def test_it_reads_utf16_without_bom_or_declaration(name):
    parsed = parse_file(SIMPLEPIE / name)
    assert parsed.title == "Test feed"
    assert [e.title for e in parsed.entries] == ["Test feed title 1"]
    assert parsed.entries[0].url == "http://example.net/tests/#1.1"


def test_it_reads_utf16_with_bom_and_charset_header():
    xml = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Été</title>'
    xml += "<item><title>Crème brûlée</title><link>/a</link></item></channel></rss>"
    for codec in ("utf-16", "utf-16-be", "utf-16-le"):
        body = xml.encode(codec)
        if codec != "utf-16":
            body = ("\ufeff" + xml).encode(codec)
        parsed = parse_feed(body, "https://ex.fr/rss", {"content-type": "text/xml; charset=utf-16"})
        assert parsed.title == "Été"
        assert parsed.entries[0].title == "Crème brûlée"
        assert parsed.entries[0].url == "https://ex.fr/a"


@needs_shared
def test_it_accepts_whitespace_before_the_xml_declaration():
    parsed = parse_file(SIMPLEPIE / "feed-with-whitespace-before-xml-declaration.xml")
    assert parsed.title == "Whitespace before XML declaration"


# --- formats ------------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize(
    "path, title, first_title",
    [
        ("rss0/rss_0.91_spec_1.xml", "WriteTheWeb", "Giving the world a pluggable Gnutella"),
        ("rss0/rss_0.92_spec_1.xml", "Dave Winer: Grateful Dead", ""),
        ("rss1/rss_1.0_spec_1.xml", "XML.com", "Processing Inclusions with XSLT"),
        ("rss2/rss_2.0_bbc.xml", "In Our Time", "Marcus Aurelius"),
        ("atom/atom_example_1.xml", "dive into mark", "Atom draft-07 snapshot"),
    ],
)
def test_it_reads_every_rss_version_and_atom(path, title, first_title):
    parsed = parse_file(FEED_RS / path)
    assert parsed.title == title
    assert parsed.entries[0].title == first_title


@needs_shared
def test_it_reads_rdf_with_dublin_core_dates_and_language():
    parsed = parse_file(PROF18 / "rdf-feed-test.xml")
    assert parsed.title == "news.ORF.at"
    assert parsed.entries[0].published is not None
    assert parsed.entries[0].language == "de"


@needs_shared
def test_it_resolves_relative_links_against_xml_base_and_feed_url():
    parsed = parse_file(FEED_RS / "atom/atom_xml_base.xml", url="https://other.example/feed.xml")
    assert parsed.entries[0].url == "https://numi.st/post/2022/travel-uke"
    parsed = parse_file(FEED_RS / "atom/atom_relative.xml", url="https://site.example/feeds/a.xml")
    assert parsed.entries[0].url.startswith("https://")
    assert "example" in parsed.entries[0].url


def test_it_resolves_a_relative_xml_base_against_the_feed_url():
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><title>t</title>'
        b'<entry xml:base="2024/"><title>a</title><id>urn:a</id>'
        b'<link href="post-1.html"/><updated>2024-03-01T10:00:00Z</updated></entry>'
        b'<entry><title>b</title><id>urn:b</id><link href="javascript:alert(1)"/>'
        b"<updated>2024-03-01T10:00:00Z</updated></entry></feed>"
    )
    parsed = parse_feed(body, "https://site.example/feeds/atom.xml")
    assert parsed.entries[0].url == "https://site.example/blog/2024/post-1.html"
    assert parsed.entries[1].url == ""  # only http(s) links are kept


def test_it_resolves_relative_links_without_xml_base():
    body = (
        b'<rss version="2.0"><channel><title>t</title><link>/</link>'
        b"<item><title>a</title><link>../posts/1.html</link><guid>x1</guid></item>"
        b"</channel></rss>"
    )
    parsed = parse_feed(body, "https://blog.example.fr/feeds/rss.xml")
    assert parsed.entries[0].url == "https://blog.example.fr/posts/1.html"
    assert parsed.site_url == "https://blog.example.fr/"
    assert parsed.entries[0].guid.endswith("x1")  # stable across polls, resolved or not


def test_it_keeps_missing_dates_missing_and_reads_french_dates():
    body = """<rss version="2.0"><channel><title>t</title><language>fr-FR</language>
    <item><title>sans date</title><link>https://e.fr/1</link></item>
    <item><title>date française</title><link>https://e.fr/2</link>
      <pubDate>12 mars 2024 10:00</pubDate></item>
    </channel></rss>""".encode()
    first, second = parse_feed(body, "https://e.fr/rss").entries
    assert first.published is None
    assert second.published is not None and second.published.date().isoformat() == "2024-03-12"
    assert first.language == second.language == "fr"


def test_it_turns_html_titles_and_bodies_into_plain_text():
    body = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>F</title><id>f</id>
    <entry><id>e1</id><title type="html">&lt;b&gt;Caf\xc3\xa9&lt;/b&gt; &amp;amp; co</title>
    <link href="https://e.fr/1"/><updated>2024-01-02T03:04:05Z</updated>
    <author><name>Jeanne Martin</name></author>
    <content type="html">&lt;p&gt;Premier&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;
    &lt;p&gt;Second &amp;amp; fin&lt;/p&gt;</content>
    <link rel="enclosure" type="audio/mpeg" length="1" href="https://e.fr/a.mp3"/>
    </entry></feed>"""
    entry = parse_feed(body, "https://e.fr/atom").entries[0]
    assert entry.title == "Café & co"
    assert entry.text == "Premier\n\nSecond & fin"
    assert entry.author == "Jeanne Martin"
    assert entry.published == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert entry.url == "https://e.fr/1"
    assert entry.language == "fr"


def test_it_reads_rss_author_emails_as_names():
    body = b"""<rss version="2.0"><channel><title>t</title><item><title>a</title>
    <author>jeanne@example.fr (Jeanne Martin)</author><link>https://e.fr/1</link></item>
    </channel></rss>"""
    assert parse_feed(body, "https://e.fr/rss").entries[0].author == "Jeanne Martin"


@needs_shared
def test_it_reads_podcast_enclosures_without_trouble():
    parsed = parse_file(FEEDJIRA / "itunes.xml")
    assert len(parsed.entries) == 3
    assert parsed.entries[0].title == "Shake Shake Shake Your Spices"
    assert parsed.entries[0].author == "John Doe"


@needs_shared
def test_it_reads_json_feed():
    parsed = parse_file(
        FEED_RS / "jsonfeed/jsonfeed_example_1.json", content_type="application/json"
    )
    assert parsed.title == "Daring Fireball"
    assert parsed.entries[0].title == "How Jeff Bezos’s iPhone X Was Hacked"
    assert parsed.entries[0].author == "John Gruber"
    assert parsed.entries[0].published is not None


# --- search feeds -------------------------------------------------------------------


@needs_shared
def test_it_gives_the_real_urls_and_plain_titles_of_google_alerts():
    parsed = parse_file(FEEDJIRA / "google_alerts_atom.xml")
    assert parsed.title == "Google Alert - Slack"
    assert len(parsed.entries) == 20
    first = parsed.entries[0]
    assert first.title.startswith("Report offers Prediction of Automotive Slack Market")
    assert "<b>" not in first.title and "<b>" not in first.text
    assert first.url.startswith("https://www.aglobalmarketresearch.com/report-offers-prediction")
    assert all("google.com/url" not in e.url for e in parsed.entries)
    assert first.published == datetime(2019, 7, 10, 11, 53, 37, tzinfo=UTC)


@needs_shared
def test_it_reads_google_actualites_in_french():
    parsed = parse_file(PROF18 / "feed-test-source.xml")
    assert parsed.title == "À la une - Google Actualités"
    first = parsed.entries[0]
    assert first.title.startswith("Coronavirus en Belgique: 200 cas détectés au total")
    assert first.language == "fr"
    assert first.url.startswith("https://news.google.com/")
    assert first.published == datetime(2020, 3, 8, 10, 32, 7, tzinfo=UTC)
    assert "<" not in first.text


def test_it_unwraps_redirect_links():
    assert unwrap_redirect("https://www.google.com/url?rct=j&url=https://a.fr/x%3Fy%3D1&ct=ga") == (
        "https://a.fr/x?y=1"
    )
    assert unwrap_redirect("https://www.google.com/url?q=javascript:alert(1)") == (
        "https://www.google.com/url?q=javascript:alert(1)"
    )
    assert (
        unwrap_redirect("https://a.fr/url?url=https://b.fr") == "https://a.fr/url?url=https://b.fr"
    )


# --- hostile bodies -----------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title></item></channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>"""


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-be"])
@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_it_refuses_xml_entity_declarations(xml, codec):
    with pytest.raises(SourceError) as caught:
        parse_feed(xml.encode(codec), "https://evil.example/feed")
    assert caught.value.code == "xml_entities"
    assert "entities" in caught.value.message


def test_it_refuses_parameter_entities():
    xml = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil/x.dtd"> %p;]><rss/>'
    with pytest.raises(SourceError) as caught:
        parse_feed(xml.encode(), "https://evil.example/feed")
    assert caught.value.code == "xml_entities"


def test_it_accepts_an_article_that_quotes_an_entity_declaration():
    xml = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Sécu</title>
    <item><title>XXE expliquée</title><link>https://e.fr/xxe</link>
    <description><![CDATA[<pre><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]></pre>]]>
    </description></item></channel></rss>"""
    parsed = parse_feed(xml.encode(), "https://e.fr/rss")
    # Not refused as an entity bomb. (Inside the HTML body the quoted declaration is
    # markup, and plain text drops markup.)
    assert parsed.entries[0].title == "XXE expliquée"
    assert parsed.entries[0].url == "https://e.fr/xxe"


def test_it_accepts_the_netscape_rss_091_doctype_and_single_character_entities():
    xml = """<?xml version="1.0"?>
    <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
      "http://my.netscape.com/publish/formats/rss-0.91.dtd" [<!ENTITY nbsp "&#160;">]>
    <rss version="0.91"><channel><title>Old&nbsp;feed</title>
    <item><title>One</title><link>http://e.fr/1</link></item></channel></rss>"""
    parsed = parse_feed(xml.encode(), "http://e.fr/rss")
    assert parsed.entries[0].title == "One"


@needs_shared
def test_it_says_an_html_page_is_not_a_feed_and_names_the_feeds_it_offers():
    page = FEEDS.parent / "pages" / "graby-fr" / "tests" / "fixtures" / "content" / "framablog.html"
    with pytest.raises(SourceError) as caught:
        parse_feed(page.read_bytes(), "https://framablog.org/2017/01/01/x/")
    assert caught.value.code == "not_a_feed"
    assert "not a feed" in caught.value.message
    assert "framablog.org/feed" in caught.value.message


def test_it_says_an_html_page_without_feeds_needs_selectors():
    body = b"<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</p></body></html>"
    with pytest.raises(SourceError) as caught:
        parse_feed(body, "https://e.fr/")
    assert caught.value.code == "not_a_feed"
    assert "CSS selectors" in caught.value.message


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_it_reports_an_empty_body(body):
    with pytest.raises(SourceError) as caught:
        parse_feed(body, "https://e.fr/rss")
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\x01\x02garbage\xff\xfe" * 50,
        b"Just some text, not XML at all.",
        b'{"items": "not a list"}',
        b"<rss",
        b"/etc/passwd",  # feedparser would open a bytes argument naming a file
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * 5000 + b"]" * 5000,
    ],
)
def test_it_reports_garbage_as_not_a_feed(body):
    with pytest.raises(SourceError) as caught:
        parse_feed(body, "https://e.fr/rss", {"content-type": "application/json"})
    assert caught.value.code in ("not_a_feed", "parse_error")


def test_it_caps_entries_and_text_length():
    huge = "mot " * 60_000  # 240 KB of text in one entry
    items = "".join(
        f"<item><title>n{i}</title><link>https://e.fr/{i}</link>"
        f"<description>{huge if i == 0 else 'court'}</description></item>"
        for i in range(MAX_ENTRIES + 50)
    )
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    parsed = parse_feed(body, "https://e.fr/rss")
    assert len(parsed.entries) == MAX_ENTRIES
    assert 90_000 < len(parsed.entries[0].text) <= 100_010


@needs_shared
def test_it_gives_the_real_urls_of_bing_news_items():
    parsed = parse_file(
        PROF18 / "feed-bing-image.xml", url="https://www.bing.com/news/search?q=madrid"
    )
    assert parsed.title == "madrid - BingNews"
    assert parsed.entries[0].url == (
        "https://www.dailymail.co.uk/sport/football/article-9554407/"
        "Real-Madrid-Barcelona-Juventus-threaten-clubs-withdrawing-Super-League-legal-action.html"
    )


@needs_shared
def test_it_still_reads_an_atom_feed_wrapped_in_an_xhtml_page():
    parsed = parse_file(FEEDJIRA / "DuplicateContentAtomFeed.xml")
    assert len(parsed.entries) == 10
    assert parsed.entries[0].title == "Down time"


def test_it_tells_html_pages_from_feeds_quoting_html():
    from monitoring.parse.feeds import looks_like_html

    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><item><description><![CDATA['
    feed += b"<html><body>a whole page</body></html>]]></description></item></channel></rss>"
    assert not looks_like_html(feed)
    assert looks_like_html(b"\n<!DOCTYPE html><html><head><title>x</title></head></html>")
    assert looks_like_html("<html><body>é</body></html>".encode("utf-16"))


CUT_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site</title>'
    b"<item><title>Whole</title><link>https://site.example/1</link><guid>g1</guid></item>"
    b"<item><title>Half</title><link>https://site.example/2</link><guid>g2</guid></item>"
    b"</channel></rss>"
)


def test_it_drops_the_entry_a_cut_off_feed_broke_in():
    # Cut in the second entry's title: feedparser would give a "Hal" entry without
    # link or guid, a bogus item doubled once the whole feed comes back.
    cut = CUT_FEED[: CUT_FEED.index(b"Half") + 3]
    assert [e.url for e in parse_feed(cut, "https://site.example/feed").entries] == [
        "https://site.example/1"
    ]
    whole = parse_feed(CUT_FEED, "https://site.example/feed").entries
    assert [e.title for e in whole] == ["Whole", "Half"]
    # A whole feed that is merely not well-formed (a raw &) keeps every entry.
    sloppy = CUT_FEED.replace(b"<title>Site", b"<title>S & S")
    assert len(parse_feed(sloppy, "https://site.example/feed").entries) == 2


def test_it_refuses_a_feed_cut_off_before_its_first_entry(english):
    cut = CUT_FEED[: CUT_FEED.index(b"<item>") + 12]
    with pytest.raises(SourceError) as error:
        parse_feed(cut, "https://site.example/feed")
    assert error.value.code == "damaged"
    assert "cut off" in error.value.message
