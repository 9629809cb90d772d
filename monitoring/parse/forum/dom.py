"""Small lxml helpers for forum extraction: parsing, safe CSS selection, text."""

import re

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from monitoring.parse.text import BLOCK_TAGS, NOT_TEXT

MAX_HTML = 8_000_000  # characters; larger pages are cut (a thread page is far smaller)


def parse_html(html: str):
    """An lxml tree of `html`, or None when nothing can be parsed."""
    if not html or not html.strip():
        return None
    html = html[:MAX_HTML]
    # lxml refuses str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError, TypeError):
        return None
    for el in list(root.iter(*NOT_TEXT)):
        _drop(el)
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    # Blocks and line breaks separate words: give them a newline so text joins cleanly.
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag == "br":
                continue
            el.text = "\n" + (el.text or "")
    return root


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    try:
        el.drop_tree()
    except (AttributeError, ValueError):
        parent.remove(el)


def drop(el) -> None:
    """Remove `el` and its content, keeping the text that follows it."""
    _drop(el)


_COMPILED: dict[str, object] = {}


def _compiled(css: str):
    # Translating CSS to XPath costs more than running it: compile each selector once.
    if css not in _COMPILED:
        if len(_COMPILED) > 2000:
            _COMPILED.clear()
        try:
            _COMPILED[css] = CSSSelector(css, translator="html")
        except (SelectorError, etree.XPathError, ValueError, TypeError, AssertionError):
            _COMPILED[css] = None
    return _COMPILED[css]


def select_self(el, css: str) -> list:
    """Elements matching `css` in `el`, `el` included; [] on an invalid selector."""
    if el is None or not css:
        return []
    compiled = _compiled(css)
    if compiled is None:
        return []
    try:
        return compiled(el)
    except (etree.XPathError, ValueError, TypeError):
        return []


def select(el, css: str) -> list:
    """Elements matching `css` below `el` (not `el` itself)."""
    return [e for e in select_self(el, css) if e is not el]


def outermost(elements: list) -> list:
    """Drop elements that are inside another element of the list; keep document order."""
    chosen = set(elements)
    out = []
    for el in elements:
        parent = el.getparent()
        inside = False
        while parent is not None:
            if parent in chosen:
                inside = True
                break
            parent = parent.getparent()
        if not inside:
            out.append(el)
    return out


def text(el) -> str:
    if el is None:
        return ""
    try:
        raw = el.text_content() if isinstance(el.tag, str) else ""
    except ValueError:
        return ""
    return clean_space(raw)


def clean_space(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def classes(el) -> str:
    """Class, id and itemprop of `el` as one lower-case string, for hints."""
    return " ".join((el.get("class") or "", el.get("id") or "", el.get("itemprop") or "")).lower()


def ancestors_until(el, stop) -> list:
    out = []
    parent = el.getparent()
    while parent is not None and parent is not stop:
        out.append(parent)
        parent = parent.getparent()
    return out
