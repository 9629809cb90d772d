"""The lxml fast path against feedparser's, on every real RSS and Atom feed it accepts.

Both paths must give the same entries (title, link, guid, author, date, text,
language) and the same feed title and links; this is what proves the fast path.
"""

from datetime import UTC, datetime

import pytest

from monitoring.parse.fastfeed import read_fast
from monitoring.parse.feeds import parse_feed
from monitoring.tools.shared_data import shared_data
from monitoring.types import SourceError
from tests.shared import needs

FEEDS = shared_data("feeds")
URL = "https://example.org/feed"


def _accepted(kind="rss"):
    if not FEEDS.exists():
        return []
    paths = sorted(p for p in FEEDS.rglob("*") if p.is_file() and p.stat().st_size < 5_000_000)
    return [p for p in paths if read_fast(p.read_bytes(), {}, (kind,)) is not None]


def read_rss(body, headers):
    return read_fast(body, headers, ("rss",))


def read_atom(body, headers):
    return read_fast(body, headers, ("atom",))


def _both(body: bytes, headers=None):
    out = []
    for fast in (False, True):
        try:
            out.append(parse_feed(body, URL, headers or {}, fast=fast))
        except SourceError as exc:
            out.append(exc.code)
    return out


@needs("feeds")
def test_it_reads_many_real_rss_feeds_on_the_fast_path():
    # If a change made the fast path refuse everything, the comparison below would
    # pass on nothing: 35 real RSS 2.0 feeds were accepted when this was written.
    assert len(_accepted()) >= 30


@needs("feeds")
def test_it_reads_many_real_atom_feeds_on_the_fast_path():
    # 27 of the 50 real Atom feeds when this was written; the others have xml:base,
    # XHTML content, several authors, a declared Latin-1...: feedparser's.
    assert len(_accepted("atom")) >= 20


@needs("feeds")
@pytest.mark.parametrize("path", _accepted() + _accepted("atom"), ids=lambda p: p.name)
@pytest.mark.parametrize("headers", [{}, {"content-language": "fr_FR"}], ids=["", "lang"])
def test_it_reads_real_feeds_as_feedparser_does(path, headers):
    slow, fast = _both(path.read_bytes(), headers)
    assert fast == slow


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Le blog</title><link>https://blog.example.fr/</link><language>fr</language>
<atom:link rel="self" href="https://blog.example.fr/feed"/>
{items}</channel></rss>"""


def _rss(items: str) -> bytes:
    return RSS.format(items=items).encode()


@pytest.mark.parametrize(
    "item",
    [
        # plain fields, an e-mail author, a permalink guid standing for the link
        "<item><title>Caf&#233; &amp; cr&#232;me</title><guid>https://b.fr/1</guid>"
        "<author>bob@example.org (Bob)</author>"
        "<pubDate>Tue, 03 Mar 2024 10:00:00 +0100</pubDate>"
        "<description>&lt;p&gt;Bonjour&lt;/p&gt;</description></item>",
        # a title that looks like HTML, a guid that is not a link, dc:creator, dc:date
        "<item><title>&lt;b&gt;Gras&lt;/b&gt; et fin</title><link>/relative?a=1&amp;b=2</link>"
        '<guid isPermaLink="false">x-1</guid><dc:creator>Anne</dc:creator>'
        "<dc:date>2024-03-03T10:00:00.5Z</dc:date><description>court</description>"
        "<content:encoded><![CDATA[<p>Le texte complet, bien plus long.</p>]]></content:encoded>"
        "</item>",
        # dates feedparser reads in its own ways, and none at all
        "<item><title>a\n  b</title><pubDate>2024-03-03 10:00</pubDate></item>",
        "<item><title>x</title><pubDate>3 mars 2024</pubDate></item>",
        "<item><description>sans titre</description></item>",
        # Windows-1252 code points and UTF-8 read as Latin-1
        "<item><title>Prix \u0080 10 \u00c3\u00a9t\u00c3\u00a9</title></item>",
    ],
)
def test_it_gives_the_same_entries_as_feedparser_on_tricky_items(item):
    body = _rss(item)
    assert read_rss(body, {}) is not None  # this case is one for the fast path
    slow, fast = _both(body)
    assert fast == slow
    assert fast.entries and fast.title == "Le blog"


@pytest.mark.parametrize(
    "body",
    [
        # markup inside a text element, a repeated field, an unknown handled element
        _rss("<item><title>a</title><description><p>b</p></description></item>"),
        _rss("<item><title>a</title><title>b</title></item>"),
        _rss(
            "<item><title>a</title><media:title xmlns:media='http://search.yahoo.com/mrss/'>"
            "b</media:title></item>"
        ),
        _rss("<item><title>a</title><atom:link href='https://b.fr/2'/></item>"),
        _rss('<item><title xml:lang="en">a</title></item>'),
        # xml:base, another version, a DOCTYPE, a declared Latin-1, broken XML
        _rss("<item><title>a</title></item>").replace(b"<channel>", b'<channel xml:base="/x/">'),
        _rss("<item><title>a</title></item>").replace(b'version="2.0"', b'version="0.92"'),
        b'<?xml version="1.0"?><!DOCTYPE rss><rss version="2.0"><channel></channel></rss>',
        _rss("<item><title>a</title></item>").replace(b"utf-8", b"iso-8859-1"),
        _rss("<item><title>a &nbsp; b</title></item>"),
    ],
)
def test_it_leaves_to_feedparser_what_it_is_not_sure_of(body):
    assert read_rss(body, {}) is None
    slow, fast = _both(body)
    assert fast == slow


def test_it_reads_rfc_822_and_rfc_3339_dates_to_the_second():
    body = _rss(
        "<item><title>a</title><pubDate>Sun, 03 Mar 2024 10:00:00 +0100</pubDate></item>"
        "<item><title>b</title><pubDate>2024-03-03T10:00:00.9+02:00</pubDate></item>"
    )
    entries = parse_feed(body, URL).entries
    assert [e.published for e in entries] == [
        datetime(2024, 3, 3, 9, 0, tzinfo=UTC),
        datetime(2024, 3, 3, 8, 0, tzinfo=UTC),
    ]


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title type="html">Le &lt;i&gt;blog&lt;/i&gt;</title><id>tag:blog.example.fr,2024:feed</id>
<link rel="self" href="https://blog.example.fr/atom"/><link rel="hub" href="https://hub.example/"/>
<updated>2024-03-03T10:00:00Z</updated>
{entries}</feed>"""


def _atom(entries: str) -> bytes:
    return ATOM.format(entries=entries).encode()


@pytest.mark.parametrize(
    "entry",
    [
        # an alternate link after the id, HTML summary and longer HTML content, an author
        # with an e-mail, both dates
        "<entry><id>urn:uuid:1</id><title>Caf\u00e9 cr\u00e8me</title>"
        '<link rel="alternate" type="text/html" href="/billet?a=1&amp;b=2"/>'
        '<link rel="enclosure" href="https://b.fr/a.mp3"/>'
        "<author><name>Anne</name><email>anne@example.org</email><uri>https://a.fr</uri></author>"
        "<published>2024-03-03T10:00:00+01:00</published><updated>2024-03-04T10:00:00Z</updated>"
        '<summary type="html">&lt;p&gt;Court&lt;/p&gt;</summary>'
        '<content type="html"><![CDATA[<p>Le texte complet, bien plus long.</p>]]></content>'
        "</entry>",
        # no alternate link: the id stands for it; plain-text summary; only an e-mail
        "<entry><id>https://b.fr/2</id><title type='text'>a &lt;b&gt; b</title>"
        "<author><email>bob@example.org</email></author>"
        "<updated>3 mars 2024</updated><summary>Bonjour &amp; merci</summary></entry>",
        # summary longer than the content, no title, categories
        '<entry><id>x</id><category term="a"/><summary>Un long r\u00e9sum\u00e9 du billet</summary>'
        "<content>court</content></entry>",
    ],
)
def test_it_gives_the_same_atom_entries_as_feedparser(entry):
    body = _atom(entry)
    assert read_atom(body, {}) is not None  # this case is one for the fast path
    slow, fast = _both(body)
    assert fast == slow
    assert fast.entries and fast.title == "Le blog" and fast.hub == "https://hub.example/"


@pytest.mark.parametrize(
    "entry",
    [
        # XHTML, base64 or referenced content, two authors, a contributor, a source,
        # a repeated field, xml:lang below the root
        '<entry><title>a</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>b</p></div></content></entry>",
        '<entry><title>a</title><content type="image/png">aGVsbG8=</content></entry>',
        '<entry><title>a</title><content src="https://b.fr/1"/></entry>',
        "<entry><title>a</title><author><name>A</name></author><author><name>B</name></author>"
        "</entry>",
        "<entry><title>a</title><contributor><name>A</name></contributor></entry>",
        "<entry><title>a</title><source><title>S</title></source></entry>",
        "<entry><title>a</title><title>b</title></entry>",
        '<entry><title xml:lang="en">a</title></entry>',
    ],
)
def test_it_leaves_odd_atom_to_feedparser(entry):
    body = _atom(entry)
    assert read_atom(body, {}) is None
    slow, fast = _both(body)
    assert fast == slow
