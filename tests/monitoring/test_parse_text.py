"""One HTML-to-text rule (monitoring/parse/text.py) for every walker: feed and page text
(html_to_text on lxml, element_text on BeautifulSoup) and forum posts (forum/dom.py)
break lines at the same block tags and leave out the same non-text elements."""

import pytest

from monitoring.parse.forum.dom import parse_html
from monitoring.parse.forum.dom import text as forum_text
from monitoring.parse.text import BLOCK_TAGS, NOT_TEXT, element_text, html_to_text, make_soup

# The tags pinned as line breaks: changing the set is a decision, not an accident.
EXPECTED_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}  # fmt: skip


def _walkers(html: str) -> dict[str, str]:
    """The text of `html` by each walker, lines kept, spaces trimmed per line."""
    root = parse_html(f"<html><body><div id='x'>{html}</div></body></html>")
    post = root.get_element_by_id("x").text_content()
    out = {
        "html_to_text": html_to_text(html),
        "element_text": element_text(make_soup(f"<div>{html}</div>", "html.parser")),
        "forum": post,
    }
    return {k: "\n".join(x.strip() for x in v.split("\n") if x.strip()) for k, v in out.items()}


def test_it_pins_the_block_tags():
    assert set(BLOCK_TAGS) == EXPECTED_BLOCKS


@pytest.mark.parametrize("tag", sorted(EXPECTED_BLOCKS - {"br", "hr"}))
def test_it_breaks_lines_around_every_block_tag_in_every_walker(tag):
    html = f"avant<{tag}>dedans</{tag}>après"
    assert _walkers(html) == dict.fromkeys(_walkers(html), "avant\ndedans\naprès")


@pytest.mark.parametrize("tag", ["br", "hr"])
def test_it_breaks_lines_at_empty_block_tags(tag):
    html = f"avant<{tag}>après"
    assert set(_walkers(html).values()) == {"avant\naprès"}


def test_it_keeps_inline_tags_on_the_line():
    html = "Chez <b>Du</b><span>pont</span> <a href='#'>ici</a>"
    assert set(_walkers(html).values()) == {"Chez Dupont ici"}


def test_it_separates_table_cells():
    html = "<table><tr><td>Prix</td><td>Qualité</td></tr></table>"
    assert set(_walkers(html).values()) == {"Prix\nQualité"}


@pytest.mark.parametrize("tag", NOT_TEXT)
def test_it_leaves_out_what_is_not_text_in_every_walker(tag):
    html = f"<p>Bon pain</p><{tag}>caché</{tag}><p>Merci</p>"
    assert set(_walkers(html).values()) == {"Bon pain\nMerci"}


def test_it_trims_forum_post_text_to_one_line():
    root = parse_html("<html><body><div id='x'><p>Bon</p><p>pain</p></div></body></html>")
    assert forum_text(root.get_element_by_id("x")) == "Bon pain"


def test_it_keeps_noscript_for_forums_only():
    # Discourse serves its posts inside <noscript> to clients without JavaScript; in
    # feeds and pages <noscript> is a "turn JavaScript on" notice.
    html = "<p>Bon pain</p><noscript>Merci</noscript>"
    assert _walkers(html) == {
        "html_to_text": "Bon pain",
        "element_text": "Bon pain",
        "forum": "Bon pain\nMerci",
    }
