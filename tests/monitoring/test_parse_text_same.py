"""html_to_text reads plain lxml elements and cleans white space with three regular
expressions (issue 22: a third of the parse stage's CPU). The text it gives must be
the text it gave before, when it built lxml.html elements (fragment_fromstring,
drop_tree) and stripped every line in Python: the previous code is kept here as the
reference and both run on every title, summary, content and author of the real feeds
and on the real pages."""

import random
import re

import feedparser
from lxml import etree
from lxml import html as lxml_html

from monitoring.parse.text import (
    _CONTROLS,
    _DROP,
    BLOCK_TAGS,
    MAX_HTML_IN,
    MAX_TEXT,
    clean_whitespace,
    clip,
    element_text,
    html_to_text,
    make_soup,
)
from monitoring.tools.shared_data import shared_data
from tests.shared import needs

_OLD_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_OLD_BLANK_LINES = re.compile(r"\n\s*\n+")


def old_clean_whitespace(text: str) -> str:
    text = _OLD_SPACES.sub(" ", _CONTROLS.sub("", text or ""))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _OLD_BLANK_LINES.sub("\n\n", text).strip()


def _old_lxml_text(html: str) -> str:
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter(*_DROP, etree.Comment, etree.ProcessingInstruction)):
        if element is not root:
            element.drop_tree()
    parts: list[str] = []
    size = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
                size += len(element.text)
        else:
            if tag in BLOCK_TAGS and tag != "br":
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
                size += len(element.tail)
        if size > MAX_TEXT * 2:
            break
    return "".join(parts)


def old_html_to_text(html: str, limit: int = MAX_TEXT) -> str:
    html = _CONTROLS.sub("", (html or "")[:MAX_HTML_IN])
    if "<" not in html and "&" not in html:
        return clip(old_clean_whitespace(html), limit)
    try:
        return clip(old_clean_whitespace(_old_lxml_text(html)), limit)
    except Exception:
        return element_text(make_soup(html, "html.parser"), limit)


def _feed_texts() -> list[str]:
    texts = []
    for path in sorted(shared_data("feeds").rglob("*")):
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        doc = feedparser.parse(path.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
        for entry in doc.entries:
            fields = ("title", "summary", "author")
            texts += [entry[k] for k in fields if isinstance(entry.get(k), str)]
            texts += [c.get("value", "") for c in entry.get("content") or []]
    return texts


# Markup where the two builds of the tree could part: leading blank text, elements
# dropped first or in a row, comments, whole documents, two bodies, the text bound.
ODD = [
    "",
    "&amp;",
    "<",
    "  <script>a</script> b<p>c</p>",
    "\n <!-- x --><style>s</style>  tail<b>bold</b>",
    "<?pi x?>y<b>z</b>",
    "<html><body>a</body></html><body>b</body>",
    "<!doctype html><p>x",
    "<head><title>T</title></head>corps",
    "<title>T</title>après",
    "<svg><text>a</text></svg>b<iframe>c</iframe>d",
    "a<br>b<hr>c<td>d</td>",
    "<p>" + "x " * 120_000 + "</p>suite",
    "  \n" + "y" * 210_000 + "<p>z</p>",
]


@needs("feeds")
def test_it_gives_the_text_it_gave_before_on_every_real_feed_text():
    texts = _feed_texts()
    assert len(texts) > 3000  # the comparison must run on something
    differ = [t[:80] for t in texts if html_to_text(t) != old_html_to_text(t)]
    assert differ == []


@needs("pages")
def test_it_gives_the_text_it_gave_before_on_real_pages():
    pages = [p for p in sorted(shared_data("pages").rglob("*.html")) if p.is_file()]
    assert pages
    for path in pages:
        html = path.read_text(errors="replace")
        assert html_to_text(html) == old_html_to_text(html), path.name


def test_it_gives_the_text_it_gave_before_on_odd_markup():
    for html in ODD:
        assert html_to_text(html) == old_html_to_text(html), html[:60]


def test_it_cleans_white_space_as_stripping_every_line_did():
    characters = " \t\r\f\v\n\u00a0\u200b\u2028\u2029\x85\u3000\u2002\u202f\x1c\x00\x0b\x7fab é"
    rng = random.Random(22)
    for _ in range(50_000):
        text = "".join(rng.choice(characters) for _ in range(rng.randint(0, 14)))
        assert clean_whitespace(text) == old_clean_whitespace(text), repr(text)
