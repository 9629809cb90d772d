"""Well-formed RSS 2.0 and Atom 1.0 read with lxml directly, to the same entries as
feedparser.

feedparser is a third of a poll's CPU: it walks every element through Python
handlers. Most feeds are plain UTF-8 RSS 2.0, which lxml reads in C. This path
takes only what it is sure to read exactly as feedparser's path does (the same
cleaning steps, borrowed from feedparser where it applies its own: the HTML guess on
titles, Windows-1252 code points, link fix-ups, author e-mails); for anything else
it answers None and the caller falls back to feedparser: other RSS versions, Atom
0.3, RDF, a DOCTYPE, xml:base or xml:lang below the root, markup inside a text element,
a repeated field, an element feedparser handles that this path does not, an
encoding other than UTF-8, malformed XML; in Atom also XHTML or base64 content,
content by reference (src), several authors, a contributor, a source.
tests/monitoring/test_feeds_fastpath.py runs both paths on every real feed of the
shared data.
"""

import calendar
import contextlib
import email.utils
import re
from datetime import UTC, datetime
from functools import lru_cache
from types import SimpleNamespace

from feedparser.api import StrictFeedParser
from feedparser.datetimes import _parse_date as feedparser_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin as Mixin
from feedparser.urls import _urljoin
from lxml import etree

# Entity declarations are refused before this is called; lxml is told never to
# expand or fetch anything anyway.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NAMESPACES = {uri.lower(): prefix for uri, prefix in Mixin.namespaces.items()}
_KNOWN_PREFIXES = set(_NAMESPACES.values())
# The code points feedparser's _cp1252 table maps (Windows-1252 read as Latin-1).
_C1 = re.compile("[\x80-\x9f]")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)

# Item fields read here: feedparser's name -> the key this path keeps it under.
_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "description": "summary",
    "content_encoded": "content",
    "pubdate": "published",
    "dc_date": "updated",
    "author": "author",
    "dc_creator": "author",
}
# Elements feedparser has a handler for that change none of the fields above.
_HARMLESS = {
    "category",
    "comments",
    "enclosure",
    "source",
    "media_content",
    "media_thumbnail",
    "media_player",
    "media_credit",
    "media_rating",
    "media_restriction",
    "media_license",
    "media_keywords",
    "media_category",
    "media_hash",
    "itunes_duration",
    "itunes_explicit",
    "itunes_image",
    "itunes_keywords",
    "itunes_block",
    "itunes_category",
    "georss_point",
    "georss_line",
    "georss_polygon",
    "georss_box",
    "georss_where",
    "slash_comments",
    "wfw_commentrss",
}
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}(?::\d{2})? (?:GMT|UT|UTC|Z|[+-]\d{4})"
)
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")


class NotSure(Exception):
    """This feed is for feedparser."""


def read_fast(body: bytes, headers: dict, formats=("rss", "atom")) -> SimpleNamespace | None:
    """feedparser's result for an RSS 2.0 or Atom 1.0 body (the keys feeds.py reads),
    or None when this path is not sure to read it as feedparser does."""
    if b"base=" in body or not _utf8(body, headers):
        return None
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    try:
        if root.tag == "rss" and "rss" in formats:
            return _rss(root, headers)
        if root.tag == _ATOM + "feed" and "atom" in formats:
            return _atom(root, headers)
    except NotSure:
        return None
    return None


def _utf8(body: bytes, headers: dict) -> bool:
    charset = _CHARSET.search(headers.get("content-type", ""))
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        return False
    head = body[:200]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return False
    declared = re.search(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)""", head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _rss(root, headers: dict) -> dict:
    if root.tag != "rss" or root.get("version") != "2.0" or set(root.attrib.keys()) - {"version"}:
        raise NotSure
    if root.getroottree().docinfo.doctype:
        raise NotSure
    channels = [c for c in root if c.tag == "channel"]
    if len(channels) != 1 or channels[0].attrib:
        raise NotSure
    channel = channels[0]
    lang = root.get(_XML_LANG) or headers.get("content-language") or None
    lang = lang.replace("_", "-") if lang else lang
    items = [el for el in channel if el.tag == "item"]
    if sum(1 for _ in root.iter("item")) != len(items):
        raise NotSure
    # xml:lang or lang anywhere but the root changes languages feedparser reports.
    for el in root.iter():
        if el is not root and (_XML_LANG in el.attrib or "lang" in el.attrib):
            raise NotSure
    feed = _channel(channel, lang)
    return SimpleNamespace(feed=feed, entries=[_item(el, lang) for el in items])


def _name(el) -> str:
    """The name feedparser dispatches this element by ("dc_creator", "title")."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # comment or processing instruction: feedparser ignores them
    if tag[0] != "{":
        return tag.lower()
    uri, local = tag[1:].split("}", 1)
    prefix = _NAMESPACES.get(uri.lower())
    if prefix is None:
        # Unknown namespace: feedparser uses the prefix as written.
        if not el.prefix or el.prefix in _KNOWN_PREFIXES:
            raise NotSure
        return "?"  # no handler of feedparser's can match it
    # Atom and the RSS namespaces map to no prefix: "=link" for atom:link in RSS.
    return f"{prefix}_{local.lower()}" if prefix else "=" + local.lower()


@lru_cache(maxsize=512)
def _handled(name: str) -> bool:
    return hasattr(StrictFeedParser, "_start_" + name) or hasattr(StrictFeedParser, "_end_" + name)


def _text(el) -> str:
    """The element's text as feedparser's pop() leaves it; markup inside: not sure."""
    if len(el):
        raise NotSure
    output = (el.text or "").strip()
    if output.isascii():
        return output  # both steps below leave ASCII as it is
    # feedparser repairs UTF-8 that was read as Latin-1 and encoded again.
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        output = output.encode("iso-8859-1").decode("utf-8")
    # translate() looks every character up in the table: only text with a C1 control
    # code point (the table's keys) needs it.
    return output.translate(_cp1252) if _C1.search(output) else output


def _link(value: str) -> str:
    value = _urljoin("", value).replace("&amp;", "&")
    return re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", value)


def _atom_link(el) -> dict:
    rel = (el.get("rel") or "alternate").lower()
    if rel == "alternate" or len(el) or not el.get("href"):
        raise NotSure
    return {"rel": rel, "href": _urljoin("", el.get("href"))}


def _channel(channel, lang) -> dict:
    feed = {"links": []}
    if lang:
        feed["language"] = lang
    seen = set()
    for el in channel:
        name = _name(el)
        if name in ("item", "", "?"):
            continue
        if name in ("title", "link", "language", "dc_language"):
            if name in seen or el.attrib:
                raise NotSure
            seen.add(name)
            value = _text(el)
            if name == "title":
                feed["title"] = value
                feed["title_detail"] = {"type": _guess(value), "language": lang}
            elif name == "link":
                feed["link"] = _link(value)
            else:
                feed["language"] = value
        elif name == "=link":
            feed["links"].append(_atom_link(el))
        elif name.startswith("="):
            raise NotSure
        elif name in ("image", "textinput", "cloud"):
            continue  # their titles and links stay in their own dictionaries
        elif _handled(name) and name not in _HARMLESS_CHANNEL:
            raise NotSure
    return feed


_HARMLESS_CHANNEL = {
    "description",
    "copyright",
    "generator",
    "docs",
    "ttl",
    "category",
    "managingeditor",
    "webmaster",
    "pubdate",
    "lastbuilddate",
    "sy_updateperiod",
    "sy_updatefrequency",
    "itunes_author",
    "itunes_owner",
    "itunes_image",
    "itunes_category",
    "itunes_explicit",
    "itunes_summary",
    "itunes_subtitle",
    "itunes_keywords",
    "itunes_type",
    "itunes_block",
    "dc_creator",
    "dc_date",
    "dc_rights",
    "dc_publisher",
    "media_thumbnail",
    "media_copyright",
    "media_rating",
    "media_keywords",
    "media_category",
}


def _item(item, lang) -> dict:
    if item.attrib:
        raise NotSure
    values: dict = {}
    guid_link = None  # the guid stands for the link when the item has no <link>
    for el in item:
        name = _name(el)
        key = _FIELDS.get(name)
        if name == "=link":
            _atom_link(el)  # only checked: another rel than "alternate" sets no link
            continue
        if key is None:
            if name.startswith("="):
                raise NotSure  # an Atom element feedparser reads as its own
            if name and name != "?" and _handled(name) and name not in _HARMLESS:
                raise NotSure
            if name and len(el):
                raise NotSure  # nested elements feedparser would also walk
            continue
        if key in values or set(el.attrib.keys()) - ({"isPermaLink"} if key == "guid" else set()):
            raise NotSure
        value = _text(el)
        if key == "guid":
            if el.get("isPermaLink", "true") == "true":
                value = guid_link = _urljoin("", value)
        elif key == "link":
            value = _link(value)
        values[key] = value
    link = values.get("link", guid_link or "")
    entry = {"id": values.get("guid", ""), "link": link}
    if "title" in values:
        entry["title"] = values["title"]
        entry["title_detail"] = {"type": _guess(values["title"]), "language": lang}
    if "summary" in values:
        entry["summary"] = values["summary"]
        entry["summary_detail"] = {"type": "text/html", "language": lang}
    if "content" in values:
        entry["content"] = [{"value": values["content"]}]
    if values.get("author"):
        name = _author(values["author"])
        entry["author"] = values["author"]
        entry["author_detail"] = {"name": name} if name else {}
    for key in ("published", "updated"):
        if key in values:
            entry[key] = values[key]
            when = _date(values[key])
            if when is not None:
                entry[key + "_parsed"] = when.utctimetuple()
    return entry


def _guess(title: str) -> str:
    # RSS titles are plain text that feedparser guesses to be HTML at times.
    return "text/html" if Mixin.looks_like_html(title) else "text/plain"


_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)


def _author(author: str) -> str:
    """The name in an RSS author ("bob@example.org (Bob)"), as feedparser's sync reads it."""
    if not author:
        return ""
    match = _EMAIL.search(author)
    if match:
        author = author.replace(match.group(0), "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    return author


def _date(value: str) -> datetime | None:
    """The date as feedparser reads it (UTC, to the second), None when it cannot."""
    when = None
    try:
        if _RFC822.fullmatch(value):
            when = email.utils.parsedate_to_datetime(value)
        elif _RFC3339.fullmatch(value):
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, TypeError, OverflowError):
        when = None
    if when is not None:
        when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
        return when.replace(microsecond=0)
    parsed = feedparser_date(value) if value else None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


# --- Atom 1.0 ---------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
# What a text construct's type attribute becomes (feedparser's map_content_type),
# for the types read here: plain text or escaped HTML, never XHTML or base64.
_TEXT_TYPES = {"text": "text/plain", "html": "text/html"}
_TEXT_TYPES.update({t: t for t in ("text/plain", "text/html")})
# Feed and entry elements feedparser stores nothing from that feeds.py reads.
_ATOM_HARMLESS_FEED = {"updated", "subtitle", "rights", "generator", "icon", "logo"}
_ATOM_HARMLESS_FEED |= {"author", "category"}
_ATOM_HARMLESS_ENTRY = {"category", "rights"}


def _atom(root, headers: dict) -> SimpleNamespace:
    if set(root.attrib.keys()) - {_XML_LANG} or root.getroottree().docinfo.doctype:
        raise NotSure
    lang = root.get(_XML_LANG) or headers.get("content-language") or None
    lang = lang.replace("_", "-") if lang else lang
    for el in root.iter():
        if el is not root and (_XML_LANG in el.attrib or "lang" in el.attrib):
            raise NotSure
    feed: dict = {"links": []}
    if lang:
        feed["language"] = lang
    entries, seen, site, feed_id = [], set(), None, None
    for el in root:
        name = _name(el)
        if name == "=entry":
            entries.append(_atom_entry(el, lang))
        elif name in ("=title", "=id"):
            if name in seen or (name == "=id" and el.attrib):
                raise NotSure
            seen.add(name)
            if name == "=id":
                feed_id = _urljoin("", _text(el))
            else:
                feed["title"], feed["title_detail"] = _atom_text(el, lang)
        elif name == "=link":
            link = _atom_any_link(el)
            feed["links"].append(link)
            if _is_alternate(link):
                site = link["href"]
        elif name.startswith("="):
            if name[1:] not in _ATOM_HARMLESS_FEED:
                raise NotSure
        elif name in ("", "?"):
            continue
        elif _handled(name) and name not in _HARMLESS_CHANNEL:
            raise NotSure
    # As for an entry, the feed's id stands for its link when it has no alternate one.
    if site is not None or feed_id:
        feed["link"] = site if site is not None else feed_id
    return SimpleNamespace(feed=feed, entries=entries)


def _atom_text(el, lang) -> tuple[str, dict]:
    """A text construct (title, summary, content): its value and its detail."""
    kind = _TEXT_TYPES.get((el.get("type") or "text").lower())
    if kind is None or set(el.attrib.keys()) - {"type"}:
        raise NotSure  # XHTML, base64, content by reference (src)
    return _text(el), {"type": kind, "language": lang}


def _atom_any_link(el) -> dict:
    """A link as feedparser lists it: rel and type defaulted, href resolved."""
    if len(el) or not el.get("href") or set(el.attrib.keys()) - {"rel", "type", "href", "title"}:
        raise NotSure
    rel = el.get("rel") or "alternate"
    default = "application/atom+xml" if rel == "self" else "text/html"
    return {"rel": rel, "type": el.get("type") or default, "href": _urljoin("", el.get("href"))}


def _is_alternate(link: dict) -> bool:
    kind = _TEXT_TYPES.get(link["type"].lower(), link["type"].lower())
    return link["rel"] == "alternate" and kind in Mixin.html_types


def _atom_entry(entry, lang) -> dict:
    if entry.attrib:
        raise NotSure
    out: dict = {}
    seen, link = set(), None
    for el in entry:
        name = _name(el)
        if name in ("", "?"):
            continue
        if not name.startswith("="):
            if _handled(name) and name not in _HARMLESS:
                raise NotSure
            if len(el):
                raise NotSure  # nested elements feedparser would also walk
            continue
        name = name[1:]
        if name == "link":
            found = _atom_any_link(el)
            if _is_alternate(found):
                link = found["href"]  # the last alternate wins, as in feedparser
            continue
        if name in _ATOM_HARMLESS_ENTRY or name in ("published", "updated"):
            continue  # the dates are read below
        if name in seen or name not in ("id", "title", "summary", "content", "author"):
            raise NotSure  # a repeated field, published/updated apart below
        seen.add(name)
        if name == "id":
            if el.attrib:
                raise NotSure
            out["id"] = _urljoin("", _text(el))
        elif name == "title":
            out["title"], out["title_detail"] = _atom_text(el, lang)
        elif name == "summary":
            out["summary"], out["summary_detail"] = _atom_text(el, lang)
        elif name == "content":
            value, _detail = _atom_text(el, lang)
            out["content"] = [{"value": value}]
        else:
            out.update(_atom_author(el))
    for key in ("published", "updated"):
        found = [el for el in entry if el.tag == _ATOM + key]
        if len(found) > 1 or (found and (found[0].attrib or len(found[0]))):
            raise NotSure
        if found:
            out[key] = value = _text(found[0])
            when = _date(value)
            if when is not None:
                out[key + "_parsed"] = when.utctimetuple()
    # An entry without an alternate link has its id for a link (feedparser's guid).
    out["link"] = link if link is not None else out.get("id", "")
    out.setdefault("id", "")
    return out


def _atom_author(el) -> dict:
    """author and author_detail as feedparser's sync leaves them (name and e-mail
    are read without the text repairs of other fields)."""
    if el.attrib or (el.text or "").strip():
        raise NotSure
    detail = {}
    for child in el:
        name = _name(child)
        if name not in ("=name", "=email", "=uri") or name[1:] in detail:
            raise NotSure
        if child.attrib or len(child):
            raise NotSure
        detail[name[1:]] = (child.text or "").strip()
    name, email = detail.get("name"), detail.get("email")
    if not (name or email):
        return {}
    author = f"{name} ({email})" if name and email else name or email
    return {"author": author, "author_detail": {k: v for k, v in detail.items() if k != "uri"}}
