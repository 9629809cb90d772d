"""Shared helpers for the parse stage: markup to plain text, dates, links.

Everything here takes hostile input (whatever a server sent) and never raises on it.
"""

import email.utils
import re
import warnings
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import urljoin

from bs4 import (
    BeautifulSoup,
    CData,
    MarkupResemblesLocatorWarning,
    NavigableString,
    XMLParsedAsHTMLWarning,
)
from lxml import etree

# Bounds on the work done per item: a page can be huge, an item is not.
MAX_TEXT = 100_000  # characters of text kept per entry
MAX_TITLE = 2_000
MAX_HTML_IN = 2_000_000  # characters of markup looked at per fragment

# Dates naive in the page are read in this zone: most sources are French.
DEFAULT_TIMEZONE = "Europe/Paris"

# The tags that start and end a line of text: every HTML-to-text walker (feed and page
# text here, forum posts in forum/dom.py) breaks lines at the same places, so that words
# in two table cells or list items never run together ("PrixQualité").
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
})  # fmt: skip
# Elements whose content is never text a person wrote (code, styles, embeds, controls).
NOT_TEXT = ("script", "style", "template", "iframe", "object", "svg", "button")
# Fragments and pages also drop <noscript> (a "turn JavaScript on" notice) and the head.
# Forum pages keep both: Discourse serves its posts inside <noscript> to clients without
# JavaScript, and the thread's title is read from the head.
_DROP = (*NOT_TEXT, "noscript", "head")
# White space other than the space, each made a space; then runs of spaces, one space.
# (One pattern for both replaced every single space between two words, and a pattern
# that skips lone spaces is slow to scan: two passes that find little cost less.)
_ODD_SPACES = re.compile(r"[\t\r\f\v\u00a0\u200b]")
_SPACE_RUNS = re.compile(r" {2,}")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_whitespace(text: str) -> str:
    """Runs of spaces collapsed, at most one blank line between paragraphs."""
    text = _ODD_SPACES.sub(" ", _CONTROLS.sub("", text or ""))
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    if "\n" not in text:
        return text.strip()
    text = "\n".join([line.strip() for line in text.split("\n")])
    return _BLANK_LINES.sub("\n\n", text).strip()


def clip(text: str, limit: int = MAX_TEXT) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - 200)
    return (cut[:space] if space > 0 else cut).rstrip() + " …"


def make_soup(markup: str, parser: str = "lxml") -> BeautifulSoup:
    """BeautifulSoup without its advice on what the markup looks like: it is hostile anyway."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, parser)


def html_to_text(html: str, limit: int = MAX_TEXT) -> str:
    """Plain text of an HTML fragment: tags and scripts gone, entities decoded.

    Feeds call this for every title and body, so it works on lxml's tree directly
    (several times faster than BeautifulSoup), with BeautifulSoup as the fallback.
    """
    html = _CONTROLS.sub("", (html or "")[:MAX_HTML_IN])
    if "<" not in html and "&" not in html:
        return clip(clean_whitespace(html), limit)
    try:
        return clip(clean_whitespace(_lxml_text(html)), limit)
    except Exception:  # lxml refuses some inputs (control characters, empty documents)
        return element_text(make_soup(html, "html.parser"), limit)


# lxml.html's parser is this one with a Python callback choosing every element's class
# (a fifth of the parse): the text needs plain elements. Same options, same trees.
_HTML_PARSER = etree.HTMLParser()
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)
_NOT_TEXT_NODES = (*_DROP, etree.Comment, etree.ProcessingInstruction)


def _fragment_body(html: str):
    """The <body> lxml.html.fragment_fromstring(html, create_parent=True) would take its
    elements from, the elements that are not text removed with their content but not
    the text that follows them, as its drop_tree() does; errors where it raises."""
    if not _FULL_HTML.match(html):
        html = f"<html><body>{html}</body></html>"
    doc = etree.fromstring(html, _HTML_PARSER)
    if doc is None:
        raise etree.ParserError("Document is empty")
    bodies = [e for e in doc if e.tag == "body"]
    if doc.tag != "html" or len(bodies) != 1:
        raise etree.ParserError("not one body")
    body = bodies[0]
    if body.text and not body.text.strip():
        body.text = None  # fragment_fromstring leaves out blank leading text
    etree.strip_elements(body, *_NOT_TEXT_NODES, with_tail=False)
    return body


def _lxml_text(html: str) -> str:
    root = _fragment_body(html)
    # The body stands for the <div> fragment_fromstring wraps the fragment in: a block.
    parts = ["\n"]
    size = 0
    if root.text:
        parts.append(root.text)
        if len(root.text) > MAX_TEXT * 2:
            return "".join(parts)
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element is root:
            continue
        tag = element.tag
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
                size += len(element.text)
        else:
            if tag in BLOCK_TAGS and tag != "br":
                parts.append("\n")
            if element.tail:
                parts.append(element.tail)
                size += len(element.tail)
        if size > MAX_TEXT * 2:
            return "".join(parts)
    parts.append("\n")
    return "".join(parts)


_BLOCK_END = object()


def element_text(element, limit: int = MAX_TEXT, max_nodes: int = 200_000) -> str:
    """Plain text of a parsed element, keeping paragraph breaks; the element is not changed.

    Walks at most `max_nodes` nodes and stops once `limit` characters are collected, so
    that a page of deeply nested or endless markup costs a bounded amount of work.
    """
    if element is None:
        return ""
    parts: list[str] = []
    size = 0
    stack = [element]
    visited = 0
    while stack and visited < max_nodes and size < limit + 1000:
        node = stack.pop()
        visited += 1
        if node is _BLOCK_END:
            parts.append("\n")
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                parts.append(str(node))
                size += len(node)
            continue
        if node.name in _DROP:
            continue
        if node.name in BLOCK_TAGS:
            parts.append("\n")
            # Popped after the block's content: the text that follows starts a new line.
            stack.append(_BLOCK_END)
        stack.extend(reversed(node.contents))
    return clip(clean_whitespace("".join(parts)), limit)


def absolute_link(href, base: str) -> str:
    """An http(s) address from a link as written in a page; "" for anything else."""
    href = href.strip() if isinstance(href, str) else ""
    if not href or href.startswith(("javascript:", "mailto:", "#")):
        return ""
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return ""
    return absolute[:2000] if absolute.startswith(("http://", "https://")) else ""


# --- dates --------------------------------------------------------------------------

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(DEFAULT_TIMEZONE)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone())
    return value.astimezone(UTC)


# Where a date starts in "Publié le 12 mars 2024", "Posted by Bob on March 3rd, 2024".
_DATE_START = re.compile(
    r"\d|\b(jan|f[eé]v|feb|mar|avr|apr|mai|may|juin|jun|juil|jul|ao[uû]|aug|sep|oct|nov|d[eé]c"
    r"|hier|aujourd|avant-hier|yesterday|today|il y a)",
    re.IGNORECASE,
)


def _plausible(value: datetime | None, now: datetime) -> datetime | None:
    # A date before the web or days ahead is a parsing accident, not a publication date.
    if value is None or value.year < 1990 or value > now + timedelta(days=2):
        return None
    return value


@lru_cache(maxsize=32)
def _date_parser(languages: tuple[str, ...], relative_base: datetime | None):
    # Building a parser loads locale data: keep a few, keyed by their settings.
    from dateparser.date import DateDataParser

    settings = {
        "TIMEZONE": DEFAULT_TIMEZONE,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
    }
    if relative_base is not None:
        settings["RELATIVE_BASE"] = relative_base
    return DateDataParser(languages=list(languages), try_previous_locales=False, settings=settings)


def parse_date(
    value: str | None, languages: list[str] | tuple[str, ...] = ("fr", "en"), now=None
) -> datetime | None:
    """An aware UTC datetime from a date written by people or machines, or None.

    Accepts ISO 8601, RFC 822 (feeds, HTTP), and French or English human dates,
    absolute or relative ("12 mars 2024", "il y a 3 jours", "hier", "2 hours ago"),
    relative ones counted from `now`.
    """
    text = clean_whitespace(value or "").replace("\n", " ")[:200]
    if not text:
        return None
    # Relative dates count from `now` as a clock in DEFAULT_TIMEZONE reads it.
    base = now.astimezone(_zone()).replace(tzinfo=None) if now else None
    now = now or datetime.now(UTC)
    try:
        if _ISO.match(text):
            return _plausible(_aware(datetime.fromisoformat(text.replace("Z", "+00:00"))), now)
    except ValueError:
        pass
    try:
        return _plausible(_aware(email.utils.parsedate_to_datetime(text)), now)
    except (TypeError, ValueError, IndexError):
        pass
    langs = tuple(dict.fromkeys(lang for lang in (*languages, "fr", "en") if lang))
    parser = _date_parser(langs, base)
    candidates = [text]
    start = _DATE_START.search(text)
    if start and start.start() > 0:
        candidates.append(text[start.start() :])
    when = None
    for candidate in candidates:
        try:
            when = parser.get_date_data(candidate).date_obj
        except Exception:  # dateparser raises assorted errors on odd input
            when = None
        if when is not None:
            break
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return _plausible(when.astimezone(UTC), now)
