"""RSS 0.9x/1.0/2.0, Atom and JSON Feed bodies -> entries, with feedparser.

The body is whatever a server sent: it may be a bomb, an HTML page, garbage, or a
feed in any encoding. Only SourceError leaves this module.
"""

import calendar
import io
import json
import re
from datetime import UTC, datetime
from xml.sax import SAXParseException

import feedparser
from django.utils.translation import gettext as _

from monitoring.normalise import language_code
from monitoring.parse.canonical import unwrap_redirect
from monitoring.parse.fastfeed import read_fast
from monitoring.parse.feedlinks import discover_feeds
from monitoring.parse.text import (
    MAX_TITLE,
    absolute_link,
    clip,
    html_to_text,
    parse_date,
)
from monitoring.types import Entry, Parsed, SourceError

# Entries kept per poll: feeds that dump their whole archive are cut here.
MAX_ENTRIES = 300


def parse_feed(body: bytes, url: str, headers: dict | None = None, fast: bool = True) -> Parsed:
    """Entries of a feed body. `headers` (lower-case names) help with the encoding.

    Well-formed UTF-8 RSS 2.0 and Atom are read by lxml directly (fastfeed.py), to the same
    result as feedparser's at a fraction of its cost; `fast=False` forces feedparser.
    """
    headers = headers or {}
    if not body or not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise SourceError("empty", _("the server sent an empty response instead of a feed"))
    refuse_entities(body)
    if _looks_like_json(body, headers):
        return parse_json_feed(body, url)
    if _plainly_html(body):
        raise not_a_feed(body, url)
    doc = read_fast(body, headers) if fast else None
    if doc is not None:
        return _parsed(doc, url)
    body, headers = _utf16_without_bom(body, headers)
    body, headers = _utf8_declared_latin1(body, headers)
    if body.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        # A byte order mark is certain, a header charset ("utf-16", no order) is not.
        content_type = headers.get("content-type", "application/xml").split(";")[0]
        headers = {**headers, "content-type": content_type}
    try:
        doc = feedparser.parse(
            # A stream, never bytes: feedparser opens a bytes argument as a file name.
            io.BytesIO(body),
            response_headers=_feedparser_headers(headers, url, body),
            sanitize_html=False,  # we keep plain text only
            # Links inside content markup are dropped with the markup; entry links are
            # still resolved against xml:base and the feed URL.
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser on hostile input: report, never crash
        raise SourceError(
            "parse_error",
            _("this feed could not be read (%(error)s)") % {"error": type(exc).__name__},
        ) from exc
    if not doc.get("version") and not doc.entries:
        raise not_a_feed(body, url)
    if _cut_off(doc, body):
        # feedparser reads what it can of a body cut short: the entry it broke in may
        # be half of one (a title without its link or guid), stored as a bogus item and
        # doubled once the whole feed comes back. The entries before it are whole.
        del doc["entries"][-1:]
        if not doc.entries:  # not "a feed with nothing new": a failing site
            raise SourceError(
                "damaged", _("the feed is cut off or damaged: it could not be read to the end")
            )
    return _parsed(doc, url)


# The end of a whole feed: its root element closed (RSS, Atom, RSS 1.0's rdf:RDF).
_CLOSED = re.compile(rb"</\s*(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>\s*$")


def _cut_off(doc, body: bytes) -> bool:
    """Not well-formed and its root never closed: the body stopped before its end."""
    broken = isinstance(doc.get("bozo_exception"), SAXParseException)
    return broken and not _CLOSED.search(body[-512:].rstrip(b" \t\r\n\x00"))


def _parsed(doc, url: str) -> Parsed:
    try:
        return _parsed_from(doc, url)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(
            "parse_error",
            _("this feed could not be read (%(error)s)") % {"error": type(exc).__name__},
        ) from exc


_UTF16_START = {
    b"\x00<\x00": "utf-16-be",
    b"<\x00": "utf-16-le",
    b"\x00\x00\x00<": "utf-32-be",
    b"<\x00\x00\x00": "utf-32-le",
}
_DECLARED_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _utf16_without_bom(body: bytes, headers: dict) -> tuple[bytes, dict]:
    """UTF-16/32 with neither BOM nor declaration, re-encoded as UTF-8 for feedparser."""
    start = body.lstrip(b" \t\r\n")[:4]
    prefixes = sorted(_UTF16_START.items(), key=lambda kv: -len(kv[0]))
    encoding = next((enc for prefix, enc in prefixes if start.startswith(prefix)), None)
    if encoding is None:
        return body, headers
    text = body.decode(encoding, errors="replace").lstrip("\ufeff")
    text = _DECLARED_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    headers = {**headers, "content-type": "application/xml; charset=utf-8"}
    return text.encode("utf-8"), headers


_SINGLE_BYTE = {
    "iso-8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
    "cp1252",
    "iso-8859-15",
    "us-ascii",
}
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _utf8_declared_latin1(body: bytes, headers: dict) -> tuple[bytes, dict]:
    """A body declared Latin-1/Windows-1252 that is valid UTF-8 with accents is UTF-8.

    Valid multi-byte UTF-8 sequences almost never occur in real Latin-1 text, while
    CMSs that declare the wrong charset are common.
    """
    head = body[:512].decode("ascii", errors="replace")
    declared = _DECLARED_ENCODING.search(head)
    charset = _HEADER_CHARSET.search(headers.get("content-type", ""))
    names = {m.group(0).split("=")[-1].strip(" \"'").lower() for m in (declared, charset) if m}
    if not names or not names <= _SINGLE_BYTE or body.isascii():
        return body, headers
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body, headers
    text = _DECLARED_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return text.encode("utf-8"), {**headers, "content-type": "application/xml; charset=utf-8"}


def _feedparser_headers(headers: dict, url: str, body: bytes) -> dict:
    out = {}
    # feedparser resolves xml:base against the feed's address, but it then joins
    # URLs at every element, a sixth of its parsing time. Without xml:base, entry
    # and site links are resolved against the feed's address here (absolute_link),
    # to the same result. ("base=" also catches the bare base attribute feedparser
    # reads; a UTF-16 body cannot be searched as bytes.)
    if b"base=" in body or body.startswith((b"\xff\xfe", b"\xfe\xff")):
        out["content-location"] = url
    for name in ("content-type", "content-language"):
        if headers.get(name):
            out[name] = headers[name]
    return out


def _parsed_from(doc, url: str) -> Parsed:
    feed = doc.feed
    language = language_code(feed.get("language")) or language_code(
        (feed.get("title_detail") or {}).get("language")
    )
    parsed = Parsed(
        title=_title(feed.get("title", ""), feed.get("title_detail")),
        site_url=absolute_link(feed.get("link", ""), url),
    )
    for link in feed.get("links") or []:
        rel, href = link.get("rel"), absolute_link(link.get("href", ""), url)
        if rel == "hub" and not parsed.hub:
            parsed.hub = href
        elif rel == "self" and not parsed.self_url:
            parsed.self_url = href
    for e in doc.entries[:MAX_ENTRIES]:
        link = unwrap_redirect(absolute_link(e.get("link", ""), url))
        text = _entry_html(e)
        entry_language = _entry_language(e) or language
        parsed.entries.append(
            Entry(
                guid=(e.get("id") or e.get("link") or "")[:2000],
                url=link,
                title=_title(e.get("title", ""), e.get("title_detail")),
                text=html_to_text(text),
                author=_author(e),
                published=_published(e, entry_language),
                language=entry_language,
            )
        )
    return parsed


def _title(value: str, detail) -> str:
    kind = (detail or {}).get("type", "text/html")
    text = html_to_text(value) if "html" in kind else " ".join((value or "").split())
    return clip(text, MAX_TITLE)


def _entry_html(e) -> str:
    """The fullest body the entry has: content:encoded/atom content, else summary."""
    contents = [c.get("value", "") for c in e.get("content") or []]
    summary = e.get("summary", "")
    best = max(contents, key=len, default="")
    return best if len(best) >= len(summary) else summary


def _author(e) -> str:
    detail = e.get("author_detail") or {}
    name = detail.get("name") or e.get("author", "")
    if not name and e.get("authors"):
        name = ", ".join(a.get("name", "") for a in e.authors if a.get("name"))
    return " ".join(html_to_text(name).split())[:300]


# Languages tried on a date feedparser could not read, when the feed names none.
_FALLBACK_LANGUAGES = ("fr", "en", "es", "pt", "de", "it")


def _published(e, language: str = "") -> datetime | None:
    for key in ("published", "updated", "created"):
        when = e.get(f"{key}_parsed")
        if when:
            try:
                value = datetime.fromtimestamp(calendar.timegm(when), UTC)
            except (OverflowError, ValueError, OSError):
                continue
            if value.year >= 1990:
                return value
    # feedparser gave up on the format ("12 mars 2024"): try the human date parser.
    for key in ("published", "updated", "created"):
        if e.get(key):
            value = parse_date(e[key], (language,) if language else _FALLBACK_LANGUAGES)
            if value:
                return value
    return None


def _entry_language(e) -> str:
    for key in ("title_detail", "summary_detail"):
        lang = language_code((e.get(key) or {}).get("language"))
        if lang:
            return lang
    return ""


# --- hostile XML --------------------------------------------------------------------

_ENTITY_DECL = re.compile(r"<!ENTITY\s+(%\s*)?(\S+)\s+(.*?)>", re.IGNORECASE | re.DOTALL)
# A declaration that only names one character (&nbsp; in some old RSS 0.91 DTD copies).
_SAFE_ENTITY = re.compile(r"""^(["'])&#(\d{1,7}|x[0-9a-fA-F]{1,6});\1$""")
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")


def refuse_entities(body: bytes) -> None:
    """SourceError for entity declarations that expand (billion laughs) or load files.

    Only declarations of one character (&nbsp; -> &#160;) are let through. The prolog
    is read by expat with a handler that stops at the first declaration or at the root
    element, so an article quoting "<!ENTITY" in its content is not refused. When expat
    cannot read the prolog (unknown encoding, junk before the declaration), the raw bytes
    are searched in every encoding an XML parser accepts, a UTF-16 bomb included.
    """
    if not _mentions_entity(body):
        return
    unsafe = _unsafe_prolog_entities(body)
    if unsafe is None:
        unsafe = _unsafe_entities_in_bytes(body)
    if unsafe:
        raise SourceError(
            "xml_entities",
            _(
                "this feed declares XML entities, which can be used to attack "
                "feed readers; it was not read"
            ),
        )


# "<!ENTITY" as bytes in every encoding, encoded once (every poll searches for them).
_ENTITY_BYTES = tuple(
    dict.fromkeys(
        word.encode(encoding)
        for encoding in _ENCODINGS
        for word in ("<!ENTITY", "<!entity", "<!Entity")
    )
)


def _mentions_entity(body: bytes) -> bool:
    return any(word in body for word in _ENTITY_BYTES)


class _StopParsing(Exception):
    pass


def _unsafe_prolog_entities(body: bytes) -> bool | None:
    """True/False from expat's reading of the prolog; None when expat could not read it."""
    from xml.parsers import expat

    unsafe = []

    def on_entity(name, is_parameter, value, base, system_id, public_id, notation):
        # Declarations are not expanded where they stand, only where referenced (after
        # the root starts, where we stop): reading them all costs nothing.
        if is_parameter or system_id or public_id or notation or value is None or len(value) > 1:
            unsafe.append(name)
            raise _StopParsing

    def on_root(*args):
        raise _StopParsing

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_root
    try:
        parser.Parse(body, True)
    except _StopParsing:
        return bool(unsafe)
    except Exception:  # ExpatError, unknown encoding...: judge on the bytes
        return None
    return False


def _unsafe_entities_in_bytes(body: bytes) -> bool:
    for encoding in _ENCODINGS:
        if not any(w.encode(encoding) in body for w in ("<!ENTITY", "<!entity", "<!Entity")):
            continue
        text = body.decode(encoding, errors="replace")
        declared = len(re.findall(r"<!ENTITY", text, re.IGNORECASE))
        safe = sum(
            1
            for m in _ENTITY_DECL.finditer(text)
            if not m.group(1) and _SAFE_ENTITY.match(m.group(3).strip())
        )
        if declared > safe:
            return True
    return False


# --- not a feed ---------------------------------------------------------------------

_HTML_ROOT = re.compile(rb"<html[\s>]|<!doctype\s+html|<body[\s>]|<head[\s>]", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|channel)[\s>]", re.IGNORECASE)


def _head_ascii(body: bytes, size: int = 4096) -> bytes:
    head = body[:size]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:64]:
        for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            try:
                text = body[: size * 4].decode(enc)
            except UnicodeDecodeError:
                continue
            if "<" in text[:200]:
                return text.encode("ascii", "replace")
    return head


def looks_like_html(body: bytes) -> bool:
    """True for an HTML page: html/head/body markup before any feed element."""
    head = _head_ascii(body)
    html = _HTML_ROOT.search(head)
    if not html:
        return False
    feed = _FEED_ROOT.search(head)
    return feed is None or html.start() < feed.start()


def _plainly_html(body: bytes) -> bool:
    """HTML with no feed element near its start: not worth handing to feedparser.

    (Some sites wrap their Atom feed in an XHTML page; feedparser reads those.)
    """
    head = _head_ascii(body)
    return _HTML_ROOT.search(head) is not None and _FEED_ROOT.search(head) is None


def not_a_feed(body: bytes, url: str) -> SourceError:
    """The error for a body that is not a feed, naming the feeds an HTML page offers."""
    if looks_like_html(body):
        try:
            html = body[:2_000_000].decode("utf-8", errors="replace")
            offered = [f for f in discover_feeds(html, url) if f.kind in ("rss", "atom", "json")]
        except Exception:  # discovery is a courtesy here, never a second failure
            offered = []
        if offered:
            names = ", ".join(f.url for f in offered[:3])
            return SourceError(
                "not_a_feed",
                _(
                    "this page is not a feed but a web page; it offers these feeds, "
                    "add one of them instead: %(feeds)s"
                )
                % {"feeds": names},
            )
        return SourceError(
            "not_a_feed",
            _(
                "this page is not a feed but a web page, and it advertises no feed; "
                "add it as a web page with CSS selectors instead"
            ),
        )
    return SourceError(
        "not_a_feed",
        _("this address did not return a feed (RSS, Atom or JSON Feed) that could be read"),
    )


# --- JSON Feed ----------------------------------------------------------------------


def _looks_like_json(body: bytes, headers: dict) -> bool:
    start = body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    return start == b"{" and (
        "json" in headers.get("content-type", "") or b"jsonfeed.org" in body[:4096]
    )


def parse_json_feed(body: bytes, url: str) -> Parsed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), which feedparser 6 lacks."""
    try:
        doc = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as exc:
        raise SourceError("not_a_feed", _("this JSON document is not a valid JSON Feed")) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise SourceError("not_a_feed", _("this JSON document is not a valid JSON Feed"))
    language = language_code(_str(doc.get("language")))
    parsed = Parsed(
        title=clip(html_to_text(_str(doc.get("title"))), MAX_TITLE),
        site_url=absolute_link(_str(doc.get("home_page_url")), url),
    )
    feed_author = _json_author(doc)
    for item in doc["items"][:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        body_html = _str(item.get("content_html"))
        text = (
            html_to_text(body_html) if body_html else html_to_text(_str(item.get("content_text")))
        )
        link = absolute_link(_str(item.get("url")) or _str(item.get("external_url")), url)
        parsed.entries.append(
            Entry(
                guid=_str(item.get("id"))[:2000] or link,
                url=unwrap_redirect(link),
                title=clip(html_to_text(_str(item.get("title"))), MAX_TITLE),
                text=text or html_to_text(_str(item.get("summary"))),
                author=_json_author(item) or feed_author,
                published=parse_date(_str(item.get("date_published")))
                or parse_date(_str(item.get("date_modified"))),
                language=language_code(_str(item.get("language"))) or language,
            )
        )
    return parsed


def _str(value) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _json_author(obj: dict) -> str:
    authors = obj.get("authors") if isinstance(obj.get("authors"), list) else [obj.get("author")]
    names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n)[:300]
