"""The feeds a web page offers, read from its markup without any network access.

`discover_feeds` lists candidates from the page (advertised feeds, links that look
like feeds) and the usual paths of common blog engines; monitoring.sources.discover
fetches them to keep those that really are feeds.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from monitoring.parse.text import absolute_link, make_soup


@dataclass
class FeedLink:
    url: str
    title: str = ""
    # "rss", "atom", "json" (advertised by the page), "link" (an <a> that looks like a
    # feed), "guess" (a usual path, unverified until probed).
    kind: str = ""
    items: int | None = None  # entries found when probed


_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/rdf+xml": "rss",
    "application/feed+json": "json",
    "application/json": "json",
    "text/xml": "rss",
    "application/xml": "rss",
    "application/x.atom+xml": "atom",
    "application/x-atom+xml": "atom",
}

# Links that look like feeds: /feed, /rss, feed.xml, atom.xml, ?feed=rss2, SPIP backend...
_FEEDLIKE = re.compile(
    r"(/(feed|feeds|rss|atom)(/|\.xml|\.rss|\.atom|\.json)?$)"
    r"|(\.(rss|atom)$)|((rss|atom|feed)[^/]*\.xml$)"
    r"|([?&]feed=(rss2?|atom|rdf))|(spip\.php\?page=backend)|(format=feed)"
    r"|(feeds\.feedburner\.com/)|(/feeds/posts/default)",
    re.IGNORECASE,
)

# Usual feed paths of blog engines and CMSs, tried when the page advertises nothing.
COMMON_PATHS = [
    "/feed",  # WordPress, Ghost(/rss), many
    "/rss",
    "/feed.xml",  # Jekyll
    "/rss.xml",  # Drupal, Gatsby
    "/atom.xml",  # Hexo, Octopress
    "/index.xml",  # Hugo
    "/?feed=rss2",  # WordPress without pretty links
    "/spip.php?page=backend",  # SPIP, common in France
    "/index.php?format=feed&type=rss",  # Joomla
    "/feeds/posts/default",  # Blogger
    "/feed.json",  # JSON Feed (micro.blog, some static sites)
    "/blog/feed",
]

MAX_LINKS = 2000  # <a> elements looked at on one page


def discover_feeds(html: str, url: str) -> list[FeedLink]:
    """Candidate feeds of the page at `url`, best first, without any network access."""
    try:
        soup = make_soup((html or "")[:3_000_000], "html.parser")
    except Exception:  # a page too broken to parse still has the usual paths
        soup = None
    base = url
    found: dict[str, FeedLink] = {}

    def add(href: str, title: str, kind: str) -> None:
        absolute = _absolute(base, href)
        if absolute and absolute not in found:
            found[absolute] = FeedLink(absolute, " ".join((title or "").split())[:300], kind)

    if soup is not None:
        base_tag = soup.find("base", href=True)
        if base_tag:
            base = _absolute(url, base_tag["href"]) or url
        advertised = []
        for link in soup.find_all("link", href=True):
            rels = [r.lower() for r in (link.get("rel") or [])]
            mime = (link.get("type") or "").split(";")[0].strip().lower()
            kind = _TYPES.get(mime)
            if mime == "application/json" and not _is_json_feed(link["href"]):
                continue  # WordPress's REST API and oEmbed links, not feeds
            if "alternate" in rels and kind:
                advertised.append((link["href"], link.get("title", ""), kind))
        # Comment feeds (WordPress advertises one per post) after the site's own feeds.
        advertised.sort(key=lambda a: _is_comments(a[0], a[1]))
        for href, title, kind in advertised:
            add(href, title, kind)
        for a in soup.find_all("a", href=True, limit=MAX_LINKS):
            href = a["href"].strip()
            if _FEEDLIKE.search(href.split("#")[0]):
                add(href, a.get_text(" ", strip=True) or a.get("title", ""), "link")
    root = _site_root(base)
    if root:
        for path in COMMON_PATHS:
            add(root + path, "", "guess")
    return list(found.values())


def _is_json_feed(href: str) -> bool:
    href = href.lower()
    return "feed" in href and "/wp-json/" not in href and "oembed" not in href


def _is_comments(href: str, title: str) -> bool:
    text = f"{href} {title}".lower()
    return "comment" in text or "commentaire" in text


def _absolute(base: str, href: str) -> str:
    absolute = absolute_link(href, base)
    return urlunsplit(urlsplit(absolute)._replace(fragment="")) if absolute else ""


def _site_root(url: str) -> str:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"
