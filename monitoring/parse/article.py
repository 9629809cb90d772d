"""One article page -> one entry: main text, title, author, publication date.

The text comes from trafilatura. For the metadata, what the publisher states for
machines (schema.org JSON-LD, Open Graph, <meta name="author">) is preferred over
trafilatura's guesses, which read the page layout: on the French news pages of
tests/monitoring/test_article.py this is what gets full timestamps and the right headline.
"""

import hashlib
import re

from monitoring.normalise import language_code
from monitoring.parse.rating import jsonld_names, jsonld_objects, jsonld_rating, types_of
from monitoring.parse.text import (
    MAX_TEXT,
    MAX_TITLE,
    clean_whitespace,
    clip,
    element_text,
    make_soup,
    parse_date,
)
from monitoring.types import Entry

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "Review",
    "CriticReview",
    "UserReview",
}


def extract_article(html: str, url: str, soup=None) -> Entry:
    """The article on this page. Fields the page does not give stay empty."""
    soup = soup if soup is not None else make_soup(html or "", "lxml")
    meta = _page_metadata(soup)
    doc = _trafilatura(html, url)
    title = meta["title"] or (doc.title if doc else "") or _tag_text(soup.find("title"))
    author = meta["author"] or _clean_author(doc.author if doc else "")
    published = meta["published"] or _htmldate(html) or parse_date(doc.date if doc else "")
    text = (doc.text if doc else "") or ""
    if not text.strip():
        body = soup.find("article") or soup.find("main") or soup.body
        text = element_text(body) if body is not None else ""
    language = meta["language"] or language_code(doc.language if doc else "")
    final_url = meta["url"] or url
    return Entry(
        guid=final_url or hashlib.sha1(text.encode()).hexdigest(),  # noqa: S324
        url=final_url,
        title=clip(clean_whitespace(title).replace("\n", " "), MAX_TITLE),
        text=clip(clean_whitespace(text), MAX_TEXT),
        author=author[:300],
        published=published,
        rating=meta["rating"],
        language=language,
    )


def is_article(soup) -> bool:
    """The page is one article, not a listing: by what it states, or by its shape."""
    head = soup.head or soup
    og = head.find("meta", attrs={"property": "og:type"})
    if og and (og.get("content") or "").strip().lower() in ("article", "blog", "news"):
        return True
    if head.find("meta", attrs={"property": "article:published_time"}):
        return True
    if any(types_of(obj) & ARTICLE_TYPES for obj in jsonld_objects(soup)):
        return True
    body = soup.body
    classes = set(body.get("class") or []) if body is not None else set()
    if "single-post" in classes or {"single", "single-format-standard"} <= classes:
        return True  # WordPress's single post template
    articles = soup.find_all("article", limit=2)
    return len(articles) == 1 and len(articles[0].get_text(" ", strip=True)) >= 1500


def _tag_text(element) -> str:
    return element.get_text(" ", strip=True) if element is not None else ""


def _meta(soup, *names) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and (tag.get("content") or "").strip():
            return tag["content"].strip()
    return ""


def _page_metadata(soup) -> dict:
    meta = {"title": "", "author": "", "published": None, "url": "", "rating": None}
    for obj in jsonld_objects(soup):
        if not types_of(obj) & ARTICLE_TYPES:
            continue
        meta["title"] = meta["title"] or _str(obj.get("headline")) or _str(obj.get("name"))
        meta["author"] = meta["author"] or jsonld_names(obj.get("author"), "; ", people_only=True)
        meta["published"] = meta["published"] or parse_date(_str(obj.get("datePublished")))
        if meta["rating"] is None:
            meta["rating"] = jsonld_rating(obj)
    meta["title"] = meta["title"] or _meta(soup, "og:title", "twitter:title")
    meta["author"] = meta["author"] or _clean_author(
        _meta(soup, "author", "article:author", "dc.creator", "DC.creator", "sailthru.author")
    )
    meta["published"] = meta["published"] or parse_date(
        _meta(soup, "article:published_time", "datePublished", "date", "DC.date.issued")
    )
    canonical = (soup.head or soup).find("link", rel="canonical", href=True)
    href = canonical["href"].strip() if canonical else ""
    meta["url"] = href if href.startswith(("http://", "https://")) else ""
    html_tag = soup.find("html")
    meta["language"] = language_code(html_tag.get("lang") if html_tag else "") or language_code(
        _meta(soup, "og:locale", "language", "content-language")
    )
    return meta


def _str(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean_whitespace(value) if isinstance(value, str) else ""


_URLISH = re.compile(r"^(https?://|www\.)|@")


def _clean_author(value: str) -> str:
    value = clean_whitespace(value or "").replace("\n", " ")
    return "" if _URLISH.search(value) else value


def _trafilatura(html: str, url: str):
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False
        )
    except Exception:  # trafilatura on hostile markup: the metadata above still counts
        return None


def _htmldate(html: str):
    from htmldate import find_date

    try:
        found = find_date(
            html,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            original_date=True,
            extensive_search=False,
        )
    except Exception:
        return None
    return parse_date(found) if found else None
