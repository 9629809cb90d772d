"""Posts of a forum thread page, without a feed and without the user writing selectors.

Order of attempts: the source's own CSS selectors (config override), then the signatures
of the common engines (forum_engines.py), then a generic detector of repeated post-like
blocks (forum_generic.py). Fields missing from a signature fall back to heuristics
(forum_fields.py). Quotes of other posts and signatures are removed from the text.
"""

import copy
import hashlib
import re
from datetime import datetime
from urllib.parse import urljoin

import lxml.html
from django.utils.translation import gettext as _

from monitoring.normalise import language_code
from monitoring.parse.forum.dates import DateReader
from monitoring.parse.forum.dom import clean_space, outermost, parse_html, select, text
from monitoring.parse.forum.engines import SIGNATURES, Signature
from monitoring.parse.forum.fields import (
    body_text,
    find_author,
    find_body,
    find_date,
    find_permalink,
)
from monitoring.parse.forum.generic import detect_posts
from monitoring.parse.selector_safety import check_safe_selectors
from monitoring.types import Entry, SourceError

MIN_TEXT = 1  # a post of one word ("Merci !") is still a post
OVERRIDE_KEYS = ("post", "author", "date", "body", "permalink")


def extract_forum_posts(
    html: str, url: str, config: dict | None = None, now: datetime | None = None
) -> list[Entry]:
    """The posts of a thread page. Raises SourceError when none is recognised."""
    try:
        entries, _engine = _extract(html, url, config or {}, now)
    except SourceError:
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError) as exc:
        raise SourceError("no_posts", _("this page could not be read as a forum thread")) from exc
    if not entries:
        raise SourceError("no_posts", _("no posts were recognised on this page"))
    return entries


def extract_with_engine(html: str, url: str, config: dict | None = None, now=None):
    """(entries, engine name) for the evaluation; never raises on unreadable pages."""
    try:
        return _extract(html, url, config or {}, now)
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError):
        return [], ""


def _extract(html: str, url: str, config: dict, now) -> tuple[list[Entry], str]:
    root = parse_html(html)
    if root is None:
        return [], ""
    base = _base_url(root, url)
    full_lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    lang = _language(root)
    dates = DateReader(full_lang, now)
    title = _title(root)

    override = Signature("custom", **{k: (config.get(k) or "").strip() for k in OVERRIDE_KEYS})
    # An invalid override is ignored (detection takes over); a costly one is refused.
    check_safe_selectors({k: getattr(override, k) for k in OVERRIDE_KEYS}, skip_invalid=True)
    containers, sig = [], None
    if override.post:
        containers = outermost(select(root, override.post))
        sig = override
    if not containers:
        containers, sig = _by_signature(root)
    if len(containers) < 3 and sig is not override:
        # A signature that finds one or two posts may only have matched the opening post
        # (schema.org markup on the question only): the generic detector may see more.
        generic = [_join(region) for region in detect_posts(root, dates)]
        if len(generic) > len(containers):
            containers, sig = generic, Signature("generic", post="")
    if not containers:
        return [], ""
    entries = []
    for container in containers:
        entry = _entry(container, sig, override, base, url, title, lang, dates)
        if entry is not None:
            entries.append(entry)
    return _dedupe(entries), sig.engine


def _join(region: list):
    """One element for a post spread over sibling elements (table rows)."""
    if len(region) == 1:
        return region[0]
    wrapper = lxml.html.Element("div")
    for el in region:
        wrapper.append(copy.deepcopy(el))
    return wrapper


def _by_signature(root) -> tuple[list, Signature | None]:
    best, best_sig, best_count = [], None, 0
    for sig in SIGNATURES:
        found = outermost(select(root, sig.post))
        if not found:
            continue
        count = sum(1 for c in found if (select(c, sig.body) if sig.body else True))
        if count > best_count:
            best, best_sig, best_count = found, sig, count
    return best, best_sig


def _entry(container, sig, override, base, url, title, lang, dates) -> Entry | None:
    body_css = _css(container, override.body, sig.body)
    if sig.body and not body_css and sig is not override:
        return None  # matched the engine's post selector but has no post body: a list item
    body = find_body(container, body_css, []) if body_css else None
    if body is None and body_css:
        return None  # the post's body is there but empty: an advertising slot
    published, date_el = find_date(container, _css(container, override.date, sig.date), dates, body)
    author, author_el = find_author(container, _css(container, override.author, sig.author), body)
    permalink = find_permalink(
        container, _css(container, override.permalink, sig.permalink), base, body
    )
    if body is None:
        body = find_body(container, "", [date_el, author_el])
    post_text = body_text(container, body, [date_el, author_el])
    if len(post_text) < MIN_TEXT:
        return None
    if not author and published is None and sig.engine != "custom":
        # Advertising slots dressed as posts ("Anzeige", "Publicité") carry neither.
        return None
    guid = permalink or f"{url.split('#')[0]}#{_digest(author, published, post_text)}"
    return Entry(
        guid=guid,
        url=permalink or url,
        title=title,
        text=post_text,
        author=author,
        published=published,
        language=lang,
    )


def _css(container, *selectors: str) -> str:
    """The first selector that finds something in this post: the source's own override,
    then the engine's; "" leaves the field to the heuristics."""
    for css in selectors:
        if css and select(container, css):
            return css
    return ""


def _digest(author, published, post_text) -> str:
    key = f"{author}|{published.isoformat() if published else ''}|{post_text[:300]}"
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def _dedupe(entries: list[Entry]) -> list[Entry]:
    # Signatures may list a post twice (two selectors for one theme): keep the first.
    seen, out = set(), []
    for e in entries:
        key = (e.guid, e.text[:200])
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


def _base_url(root, url: str) -> str:
    for b in root.iter("base"):
        href = b.get("href")
        if href:
            return urljoin(url, href)
    return url


def _language(root) -> str:
    return language_code(root.get("lang") or root.get("xml:lang"))


def _title(root) -> str:
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:title":
            value = clean_space(meta.get("content") or "")
            if value:
                return value[:300]
    for t in root.iter("title"):
        value = text(t)
        parts = re.split(r"\s+[|\-–—]\s+", value)
        if len(parts) > 1 and len(parts[0]) >= 8:
            value = parts[0]
        return value[:300]
    return ""
