"""Web pages -> entries, with per-source CSS selectors or without.

config = {"item": css, "title": css, "link": css, "author": css, "date": css,
          "body": css, "rating": css, "rating_best": number, "follow_links": bool}

Only "item" is required: each element it matches is one entry; the other selectors
are looked up inside that element. Without a title selector the first heading or
link text is used; without a link selector, the first link; without a body
selector, the whole item's text.

Without selectors, a page that states reviews in schema.org data gives one entry per
review, an article page gives one entry, and a listing made of at least three
<article> cards with a linked heading (blog and news front pages of most CMSs) gives
one entry per card; other pages need selectors.
"""

import hashlib
import time
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.utils.translation import gettext as _
from soupsieve import SelectorSyntaxError

from monitoring.normalise import language_code
from monitoring.parse import rating as ratings
from monitoring.parse.article import extract_article, is_article
from monitoring.parse.selector_safety import check_safe_selectors
from monitoring.parse.text import (
    MAX_TITLE,
    absolute_link,
    clip,
    element_text,
    html_to_text,
    make_soup,
    parse_date,
)
from monitoring.types import Entry, Parsed, SourceError

MAX_ENTRIES = 300
# Wall-clock budget for reading the items of one page: deeply nested hostile markup
# makes CSS matching quadratic; past the budget, the items read so far are kept.
PAGE_BUDGET_SECONDS = 8.0
# Member-written selectors run on pages of at most this many elements.
MAX_ELEMENTS = 100_000
FIELDS = ("title", "link", "author", "date", "body", "rating")


def parse_page(html: str, url: str, config: dict) -> Parsed:
    """The entries of a page for the poll stage (raises SourceError when none can be had)."""
    soup = _soup(html)
    parsed = Parsed(title=_page_title(soup), site_url=_site(url))
    if (config or {}).get("item"):
        entries, _warnings = extract_items(soup, url, config)
        parsed.entries = entries
        return parsed
    parsed.entries = generic_entries(soup, html, url)
    if not parsed.entries:
        raise SourceError(
            "needs_selectors",
            _(
                "this page is neither an article nor a page of reviews we can read on our "
                "own; choose CSS selectors for this page"
            ),
        )
    return parsed


def preview(html: str, url: str, config: dict) -> tuple[list[Entry], list[str]]:
    """What a configuration gives on a page, with warnings for the person setting it up."""
    try:
        soup = _soup(html)
        if not (config or {}).get("item"):
            entries = generic_entries(soup, html, url)
            warnings = [] if entries else [_("choose a CSS selector for the items of this page")]
            return entries, warnings
        return extract_items(soup, url, config)
    except SourceError as exc:
        return [], [exc.message]
    except Exception as exc:  # the preview must show something, never crash the form
        return [], [_("this page could not be read (%(error)s)") % {"error": type(exc).__name__}]


def generic_entries(soup, html: str, url: str) -> list[Entry]:
    """Entries of a page without selectors: its reviews, its article, or its cards."""
    reviews = review_entries(soup, url)
    if reviews:
        return reviews
    if is_article(soup):
        return [extract_article(html, url, soup=soup)]
    return article_cards(soup, url)


# The listing fallback: <article> cards whose heading links to the full post.
CARD_CONFIG = {
    "item": "article",
    "title": "h1, h2, h3, h4",
    "date": 'time, [class*="date"], [class*="time"]',
    "author": '[rel="author"], .author, .byline, [itemprop="author"]',
}
MIN_CARDS = 3


def article_cards(soup, url: str) -> list[Entry]:
    """One entry per <article> card when the page is plainly a list of them.

    Only when at least MIN_CARDS cards, none nested in another, have a heading in or
    inside a link, and they make most of the page's <article> elements (an ad slot or
    two is tolerated): otherwise guessing would store noise.
    """
    cards = soup.find_all("article", limit=MAX_ENTRIES + 1)
    if len(cards) < MIN_CARDS or any(card.find("article") for card in cards):
        return []
    base = _base_url(soup, url)
    links = set()
    for card in cards:
        heading = card.find(["h1", "h2", "h3", "h4"])
        link = _link(_link_near(heading, card), base) if heading is not None else ""
        if link:
            links.add(link)
    if len(links) < max(MIN_CARDS, 0.7 * len(cards)):
        return []
    entries, _warnings = extract_items(soup, url, CARD_CONFIG)
    kept, seen = [], set()
    for entry in entries:
        if entry.url in links and entry.url not in seen:  # no ad slots, no repeats
            seen.add(entry.url)
            kept.append(entry)
    return kept


def _soup(html: str):
    try:
        return make_soup((html or "")[:5_000_000], "lxml")
    except Exception as exc:
        raise SourceError("parse_error", _("this page could not be read as HTML")) from exc


def _page_title(soup) -> str:
    title = soup.find("title")
    return clip(title.get_text(" ", strip=True), 300) if title else ""


def _site(url: str) -> str:
    parts = urlsplit(url or "")
    return urlunsplit((parts.scheme, parts.netloc, "/", "", "")) if parts.netloc else ""


def page_language(soup) -> str:
    html = soup.find("html")
    lang = language_code(html.get("lang") or html.get("xml:lang")) if html else ""
    if not lang:
        meta = soup.find(
            "meta", attrs={"http-equiv": lambda v: v and v.lower() == "content-language"}
        )
        lang = language_code(meta.get("content")) if meta else ""
    return lang


# --- with selectors -----------------------------------------------------------------


def check_tree_size(soup) -> None:
    if len(soup.find_all(True, limit=MAX_ELEMENTS + 1)) > MAX_ELEMENTS:
        raise SourceError(
            "too_big",
            _("this page has more than %(count)d elements: too big to read with selectors")
            % {"count": MAX_ELEMENTS},
        )


def _select(root, css: str, field: str, many: bool = False):
    try:
        return root.select(css, limit=MAX_ENTRIES * 2) if many else root.select_one(css)
    except (SelectorSyntaxError, ValueError, NotImplementedError) as exc:
        raise SourceError(
            "bad_selector",
            _("the %(field)s selector “%(css)s” is not a valid CSS selector")
            % {"field": field, "css": css},
        ) from exc


def extract_items(soup, url: str, config: dict) -> tuple[list[Entry], list[str]]:
    """Entries found with the configured selectors, and warnings about the selectors."""
    if not isinstance(config, dict) or not str(config.get("item") or "").strip():
        raise SourceError("needs_selectors", _("choose CSS selectors for this page"))
    base = _base_url(soup, url)
    page_lang = page_language(soup)
    # Dates in the page's language first, then French and English (most of our sources).
    languages = tuple(dict.fromkeys(x for x in (page_lang, "fr", "en") if x))
    selectors = {f: str(config.get(f) or "").strip() for f in FIELDS}
    check_safe_selectors({"item": str(config["item"]).strip(), **selectors})
    check_tree_size(soup)
    # Fail on a bad selector even when no item matches, so the form can say which.
    for field, css in selectors.items():
        if css:
            _select(soup, css, field)
    items = _select(soup, str(config["item"]).strip(), "item", many=True)[:MAX_ENTRIES]
    warnings: list[str] = []
    if not items:
        warnings.append(_("the item selector matched nothing on this page"))
        return [], warnings
    missing = dict.fromkeys(FIELDS, 0)
    undated = 0
    entries = []
    # Looked for once per page rather than inside every item.
    has_ratings = soup.find(attrs={"itemprop": "ratingValue"}) is not None
    deadline = time.monotonic() + PAGE_BUDGET_SECONDS
    for read, item in enumerate(items):
        if time.monotonic() > deadline:
            warnings.append(
                _("this page is too complex: only its first %(count)d items were read")
                % {"count": read}
            )
            items = items[:read]
            break
        entry, lacks, date_text = _entry_from(
            item, base, selectors, config, languages, page_lang, has_ratings
        )
        for field in lacks:
            missing[field] += 1
        if date_text and entry.published is None:
            undated += 1
        if entry.title or entry.text:
            entries.append(entry)
    for field, count in missing.items():
        if selectors[field] and count:
            warnings.append(
                _("the %(field)s selector matched nothing in %(count)d of %(total)d items")
                % {"field": field, "count": count, "total": len(items)}
            )
    if undated:
        warnings.append(
            _("the date could not be read in %(count)d of %(total)d items")
            % {"count": undated, "total": len(items)}
        )
    if not any(e.url for e in entries):
        warnings.append(_("no item has a link: entries will point to this page"))
    return entries, warnings


def _entry_from(item, base, selectors, config, languages, page_lang, has_ratings):
    lacks = []

    def pick(field):
        css = selectors[field]
        if not css:
            return None
        found = item.select_one(css)
        if found is None:
            lacks.append(field)
        return found

    title_el = pick("title")
    link_el = pick("link")
    author_el = pick("author")
    date_el = pick("date")
    body_el = pick("body")
    rating_el = pick("rating")

    heading = title_el if title_el is not None else item.find(["h1", "h2", "h3", "h4"])
    if link_el is None and not selectors["link"]:
        # The heading's link is the item's own; a card's first link may be its category.
        link_el = _link_near(heading, item) or (
            item if item.name == "a" and item.get("href") else item.find("a", href=True)
        )
    link = _link(link_el, base)
    if title_el is None and not selectors["title"]:
        title_el = heading or (link_el if link_el is not None and link_el.name == "a" else None)
    title = _text(title_el, MAX_TITLE).replace("\n", " ")
    text = _text(body_el) if body_el is not None else ""
    if not text and not selectors["body"]:
        text = _text(item)
    date_text = _date_text(date_el)
    if rating_el is not None:
        rating = ratings.rating_from_element(rating_el, config.get("rating_best"))
    else:
        rating = ratings.microdata_rating(item) if has_ratings else None
    return (
        Entry(
            guid=link or _hash(title, text),
            url=link,
            title=title,
            text=text,
            author=_text(author_el, 300).replace("\n", " "),
            published=parse_date(date_text, languages) if date_text else None,
            rating=rating,
            language=page_lang,
        ),
        lacks,
        date_text,
    )


def _link_near(heading, item):
    """The link in a heading, or the link wrapping it (cards wrap the heading in <a>)."""
    if heading is None:
        return None
    if heading.name == "a" and heading.get("href"):
        return heading
    inner = heading.find("a", href=True)
    if inner is not None:
        return inner
    for parent in heading.parents:
        if parent is item or parent is None:
            break
        if parent.name == "a" and parent.get("href"):
            return parent
    return None


def _text(element, limit: int | None = None) -> str:
    if element is None:
        return ""
    text = element_text(element)
    return clip(text, limit) if limit else text


def _date_text(element) -> str:
    if element is None:
        return ""
    for attr in ("datetime", "content", "data-date", "data-time", "title"):
        if element.get(attr):
            return str(element[attr])[:200]
    inner = element.find("time")
    if inner is not None and inner.get("datetime"):
        return str(inner["datetime"])[:200]
    return element.get_text(" ", strip=True)[:200]


def _link(element, base: str) -> str:
    if element is None:
        return ""
    href = element.get("href")
    if not href and element.name != "a":
        inner = element.find("a", href=True)
        href = inner.get("href") if inner is not None else ""
    return absolute_link(href, base)


def _base_url(soup, url: str) -> str:
    base = soup.find("base", href=True)
    if base:
        try:
            return urljoin(url, base["href"].strip())
        except ValueError:
            pass
    return url


def _hash(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324


# --- reviews stated in schema.org data ----------------------------------------------


def review_entries(soup, url: str) -> list[Entry]:
    """One entry per schema.org Review on the page (JSON-LD first, else microdata)."""
    lang = page_language(soup)
    entries = []
    for obj in ratings.jsonld_objects(soup):
        if "Review" not in ratings.types_of(obj) and not (
            ratings.types_of(obj) & {"UserReview", "CriticReview", "EmployerReview"}
        ):
            continue
        text = _plain(obj.get("reviewBody") or obj.get("description"))
        title = _plain(obj.get("name") or obj.get("headline"))
        if not text and not title:
            continue
        link = absolute_link(obj.get("url"), url)
        entries.append(
            Entry(
                guid=link if link and link != url else _hash(title, text),
                url=link or url,
                title=clip(title, MAX_TITLE),
                text=text,
                author=ratings.jsonld_names(obj.get("author"))[:300],
                published=parse_date(_plain(obj.get("datePublished"))),
                rating=ratings.jsonld_rating(obj),
                language=language_code(_plain(obj.get("inLanguage"))) or lang,
            )
        )
    if not entries:
        for element in ratings.microdata_reviews(soup)[:MAX_ENTRIES]:
            text = ratings.microdata_prop(element, "reviewBody") or ratings.microdata_prop(
                element, "description"
            )
            title = ratings.microdata_prop(element, "name")
            if not text and not title:
                continue
            entries.append(
                Entry(
                    guid=_hash(title, text),
                    url=url,
                    title=clip(title, MAX_TITLE),
                    text=clip(text, 100_000),
                    author=ratings.microdata_prop(element, "author")[:300],
                    published=parse_date(ratings.microdata_prop(element, "datePublished")),
                    rating=ratings.microdata_rating(element),
                    language=lang,
                )
            )
    return entries[:MAX_ENTRIES]


def _plain(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return html_to_text(value) if isinstance(value, str) else ""
