"""The demo's sources, served by the app itself (DEMO_MODE) so that they work offline.

Items sit on a fixed time grid per source (one every `period` minutes since
EPOCH) and their text is chosen by a hash of their position: the same URL always
serves the same items, and new ones appear as time passes, so the worker finds
something new every few minutes and the dashboard moves.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape as html_escape

from reputation.demo import data as data

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
AUTHORS = ["Claire M.", "Julien R.", "Sophie L.", "Karim B.", "Lucie P.", "Tom W.", "Anaïs D."]


@dataclass
class DemoItem:
    key: str
    index: int
    tone: str
    text: str
    title: str
    author: str
    published: datetime
    lang: str

    @property
    def link(self) -> str:
        return f"{settings.SITE_ROOT}/demo/a/{self.key}/{self.index}"

    @property
    def stars(self) -> int:
        return {"positive": 5 if self.index % 3 else 4, "neutral": 3}.get(
            self.tone, 1 if self.index % 2 else 2
        )


def _pick(key: str, index: int, salt: str, n: int) -> int:
    digest = hashlib.sha256(f"{key}:{index}:{salt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % n


def _item(key: str, index: int, period: int, lang: str) -> DemoItem:
    bank = {"fr": data.FR, "en": data.EN}[lang]
    more = {"fr": data.FR_MORE, "en": data.EN_MORE}[lang]
    tone, template = bank[_pick(key, index, "text", len(bank))]
    extra = more[_pick(key, index, "more", len(more))]
    # Mostly the business itself, sometimes an alias or a competitor (share of voice).
    names = [data.BUSINESS] * 4 + data.ALIASES + data.COMPETITORS * 2
    name = names[_pick(key, index, "name", len(names))]
    text = template.format(b=name, p=data.PRODUCT, m=data.MANAGER)
    title = text.split(" : ")[0].split("!")[0].split(".")[0].split(",")[0]
    if len(title) > 80:
        title = title[:80].rsplit(" ", 1)[0] + "…"
    text = f"{text} {extra}".strip()
    return DemoItem(
        key=key,
        index=index,
        tone=tone,
        text=text,
        title=title,
        author=AUTHORS[_pick(key, index, "author", len(AUTHORS))],
        published=EPOCH + timedelta(minutes=period * index),
        lang=lang,
    )


def items(key: str, period: int, lang: str, now=None, days: int = 90, limit: int | None = 30):
    """The source's items published in the last `days`, newest first, at most `limit`."""
    now = now or timezone.now()
    last = math.floor((now - EPOCH).total_seconds() / 60 / period)
    first = max(0, math.ceil((now - timedelta(days=days) - EPOCH).total_seconds() / 60 / period))
    indexes = range(last, first - 1, -1)
    if limit:
        indexes = indexes[:limit]
    return [_item(key, i, period, lang) for i in indexes]


def _source(path: str):
    for feed_path, kind, title, period, lang, days in data.FEEDS:
        if feed_path == path:
            return kind, title, period, lang, days
    return None


def rss(path: str, now=None, days: int = 90, limit: int | None = 30) -> bytes | None:
    found = _source(path)
    if found is None:
        return None
    _, title, period, lang, max_days = found
    rows = []
    oldest = timezone.now() - timedelta(days=max_days)
    for it in items(path, period, lang, now, days, limit):
        if it.published < oldest:
            break
        rows.append(
            "<item>"
            f"<title>{escape(it.title)}</title>"
            f"<link>{escape(it.link)}</link>"
            f'<guid isPermaLink="false">demo-{escape(path)}-{it.index}</guid>'
            f"<pubDate>{format_datetime(it.published)}</pubDate>"
            f"<dc:creator>{escape(it.author)}</dc:creator>"
            f"<description>{escape(it.text)}</description>"
            "</item>"
        )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>{settings.SITE_ROOT}/demo/</link>"
        f"<language>{lang}</language>" + "".join(rows) + "</channel></rss>"
    )
    return body.encode("utf-8")


REVIEW_SELECTORS = {
    "item": "article.review",
    "title": "h3",
    "link": "a.permalink",
    "author": ".review-author",
    "date": "time",
    "body": ".review-body",
    "rating": ".stars",
}


def reviews_html(now=None, days: int = 90, limit: int | None = 20) -> bytes:
    rows = []
    for it in items("avis", data.REVIEWS_PERIOD, "fr", now, days, limit):
        rows.append(
            '<article class="review" itemscope itemtype="https://schema.org/Review">'
            f'<h3 itemprop="name">{html_escape(it.title)}</h3>'
            f'<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
            f'<span class="stars" itemprop="ratingValue" content="{it.stars}">{it.stars}/5</span>'
            '<meta itemprop="bestRating" content="5"></div>'
            f'<span class="review-author" itemprop="author">{html_escape(it.author)}</span> '
            f'<time datetime="{it.published.isoformat()}" itemprop="datePublished">'
            f"{it.published:%d/%m/%Y}</time>"
            f'<p class="review-body" itemprop="reviewBody">{html_escape(it.text)}</p>'
            f'<a class="permalink" href="{html_escape(it.link)}">#</a>'
            "</article>"
        )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Avis clients : Boulangerie Dupont (démo)</title></head><body>"
        "<h1>Avis clients</h1>" + "".join(rows) + "</body></html>"
    ).encode("utf-8")


def forum_html(now=None, days: int = 90, limit: int | None = 25) -> bytes:
    posts = []
    for it in reversed(items("forum", data.FORUM_PERIOD, "fr", now, days, limit)):
        posts.append(
            f'<div id="p{it.index}" class="post bg2"><div class="inner">'
            f'<div class="postbody"><h3><a href="#p{it.index}">Re: Boulangeries à Villeurbanne</a>'
            f"</h3>"
            f'<p class="author"><a href="{html_escape(it.link)}">Message</a> par '
            f'<strong><a class="username">{html_escape(it.author)}</a></strong> » '
            f"{it.published:%d/%m/%Y %H:%M}</p>"
            f'<div class="content">{html_escape(it.text)}</div></div></div></div>'
        )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="generator" content="phpBB"><title>Boulangeries à Villeurbanne - '
        "Forum Lyon Pratique (démo)</title></head><body>"
        '<h2 class="topic-title">Boulangeries à Villeurbanne</h2>'
        '<div id="page-body">' + "".join(posts) + "</div></body></html>"
    ).encode("utf-8")


def article_html(key: str, index: int) -> bytes | None:
    periods = {p: (period, lang) for p, _, _, period, lang, _ in data.FEEDS}
    periods["avis"] = (data.REVIEWS_PERIOD, "fr")
    periods["forum"] = (data.FORUM_PERIOD, "fr")
    if key not in periods or index < 0:
        return None
    period, lang = periods[key]
    it = _item(key, index, period, lang)
    if it.published > timezone.now():
        return None
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html_escape(it.title)}</title></head><body><article>"
        f"<h1>{html_escape(it.title)}</h1><p>{html_escape(it.author)} · "
        f'<time datetime="{it.published.isoformat()}">{it.published:%d/%m/%Y}</time></p>'
        f"<p>{html_escape(it.text)}</p></article></body></html>"
    ).encode()


def sources() -> list[tuple[str, str, str, dict]]:
    """(url, kind, title, config) of every demo source."""
    root = f"{settings.SITE_ROOT}/demo/"
    out = [(root + path, kind, title, {}) for path, kind, title, *_ in data.FEEDS]
    out.append((root + data.REVIEWS_PATH, "html", "Avis clients (démo)", REVIEW_SELECTORS))
    out.append((root + data.FORUM_PATH, "forum", "Forum Lyon Pratique (démo)", {}))
    return out


def history(url: str, days: int = 90, window: int = 10) -> list[bytes]:
    """What a demo URL served over the last `days`, as bodies of `window` days each,
    oldest first (for the initial backfill: small bodies, as a real poll sees them)."""
    root = f"{settings.SITE_ROOT}/demo/"
    if not url.startswith(root):
        return []
    path = url[len(root) :]
    render = {data.REVIEWS_PATH: reviews_html, data.FORUM_PATH: forum_html}.get(path)
    render = render or (lambda now, days, limit: rss(path, now, days, limit))
    now = timezone.now()
    bodies = []
    for start in range(days - window, -window, -window):
        body = render(now=now - timedelta(days=max(start, 0)), days=window, limit=None)
        if body:
            bodies.append(body)
    return bodies
