"""Sources found for a tracked name, ready to follow in one click.

From the name, its kind, its town and its website: the news searches that fit (in the
organisation's language, the town in the query to tell homonyms apart), the website's
own feeds, its pages holding schema.org reviews, the review-platform connectors, and
for each search the share of the items collected lately its query would match.

Where the searches point is the diagnostic's one rule (reputation/diagnostic/
providers.py): the presets in production, the demo's offline sources in DEMO_MODE,
local servers in tests. The website is read while the person waits, with the guarded
fetcher, within REQUEST_FETCH_BUDGET; what it gave is cached for a while, so that
following one suggestion after another does not read the site again.

A suggestion travels to the follow button signed for its organisation: following it
follows exactly what was suggested, through the one follow path (limits, shared
sources, history scans: reputation/sources/follow.py).
"""

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from monitoring import connectors
from monitoring.matching.matcher import Query
from monitoring.models import SourceKind
from monitoring.net.fetch import fetch_many
from monitoring.parse import decode_html
from monitoring.parse.feedlinks import discover_feeds
from monitoring.parse.text import make_soup
from monitoring.sources import presets
from monitoring.sources.discover import probe_candidates
from monitoring.types import HTML_ACCEPT, FetchRequest, SourceError
from reputation.demo import content as demo
from reputation.diagnostic import providers, reviews
from reputation.names import noise as noises
from reputation.names.models import TrackedKind
from reputation.sources.follow import normalise_source_url
from reputation.sources.models import Follow

SEARCH, FEED, REVIEWS, CONNECTOR = "search", "feed", "reviews", "connector"
MAX_FEEDS = 5  # feeds of the website suggested
MAX_REVIEW_LINKS = 3  # pages of the website that look like review pages, read too
CACHE_SECONDS = 15 * 60
TOKEN_DAYS = 2
# Words of a link to the site's review page ("Avis clients", "Témoignages"...).
REVIEW_WORDS = ("avis", "review", "temoignage", "témoignage", "testimonial", "note")


@dataclass
class Suggestion:
    kind: str  # SEARCH, FEED, REVIEWS or CONNECTOR: what the page says it is
    label: str
    url: str
    why: str
    source_kind: str = SourceKind.FEED  # how the collector reads it
    preset: str = ""
    config: dict = field(default_factory=dict)
    # The Follow records the name the source was built for (the searches).
    for_name: bool = False
    noise: noises.Share | None = None
    followed: bool = False
    token: str = ""


# --- signing: what the follow button carries ----------------------------------------------


def _salt(org) -> str:
    return f"suggestion:{org.code}"


def sign(org, tracked, suggestion: Suggestion) -> str:
    payload = {
        "u": suggestion.url,
        "k": suggestion.source_kind,
        "c": suggestion.config,
        "p": suggestion.preset,
        "t": str(tracked.code) if suggestion.for_name else "",
    }
    return signing.dumps(payload, salt=_salt(org), compress=True)


def unsign(org, token: str) -> dict:
    """The suggestion a button carried; SourceError when it was not made for `org`
    (or is too old, or was changed)."""
    try:
        return signing.loads(token or "", salt=_salt(org), max_age=TOKEN_DAYS * 86400)
    except signing.BadSignature as exc:
        raise SourceError("bad_suggestion", _("This suggestion has expired: look again.")) from exc


# --- the searches -------------------------------------------------------------------------


def _search_why(key: str, town: str) -> str:
    if town:
        return _("Articles naming the business together with “%(town)s”, newest first.") % {
            "town": town
        }
    return _("Articles naming the business, newest first.")


def searches(org, tracked) -> list[Suggestion]:
    places = providers.searches(tracked.label, tracked.town, org.language)
    titles = {url: title for url, _kind, title, _config in demo.sources()}
    found = []
    for place in places:
        preset = presets.BY_KEY.get(place.preset)
        label = titles.get(place.url) or (str(preset.label) if preset else place.url)
        why = _search_why(place.preset, tracked.town)
        if settings.DEMO_MODE:
            why = _("One of the demo's offline sources.")
        found.append(
            Suggestion(
                SEARCH, label, place.url, why, place.kind, place.preset, for_name=bool(preset)
            )
        )
    if _discussed_online(tracked) and not (settings.DEMO_MODE or settings.DIAGNOSTIC_SEARCHES):
        url = presets.url_for("reddit_search", names=tracked.names)
        why = _("Products and brands sold widely are discussed on Reddit.")
        label = str(presets.BY_KEY["reddit_search"].label)
        found.append(Suggestion(SEARCH, label, url, why, SourceKind.SEARCH, "reddit_search", True))
    return found


def _discussed_online(tracked) -> bool:
    """Reddit talks about products and brands sold widely, rarely of a shop in a town."""
    return tracked.kind == TrackedKind.PRODUCT or (
        tracked.kind == TrackedKind.BRAND and not tracked.town
    )


def search_query(tracked) -> Query:
    """The query a news search with the town runs, as the matcher would: the name (or
    an alias) and the town."""
    return Query(
        id=0,
        names=tracked.names,
        context_terms=[tracked.town] if tracked.town else list(tracked.context_terms),
        exclude_terms=list(tracked.exclude_terms),
    )


# --- the website ----------------------------------------------------------------------------


def _review_links(html: str, url: str) -> list[str]:
    """Links of the site's own pages that look like review pages."""
    host = urlsplit(url).hostname
    links: list[str] = []
    for a in make_soup(html[: reviews.MAX_HTML], "lxml").select("a[href]")[:2000]:
        text = f"{a.get_text(' ', strip=True)} {a['href']}".lower()
        target = urljoin(url, a["href"]).split("#")[0]
        if urlsplit(target).hostname != host or target in links or target == url:
            continue
        if any(word in text for word in REVIEW_WORDS):
            links.append(target)
        if len(links) >= MAX_REVIEW_LINKS:
            break
    return links


def _reviews_found(pages: list[str], results) -> list[dict]:
    found = []
    for url, result in zip(pages, results, strict=True):
        if not result.ok or not result.body:
            continue
        try:
            page = reviews.read(decode_html(result.body, result.headers), result.final_url or url)
        except SourceError:
            continue
        if page.entries:
            found.append({"url": result.final_url or url, "count": page.count})
    return found


async def _explore(website: str, budget: float) -> dict:
    deadline = time.monotonic() + budget

    def left() -> float:
        return max(0.5, deadline - time.monotonic())

    found = {"feeds": [], "reviews": [], "error": ""}
    [home] = await fetch_many([FetchRequest(url=website, accept=HTML_ACCEPT)], budget=left())
    if not home.ok:
        found["error"] = home.error
        return found
    final = home.final_url or website
    try:
        html = decode_html(home.body, home.headers)
    except SourceError as exc:
        found["error"] = exc.message
        return found
    candidates = discover_feeds(html, final)
    if any(c.kind in ("rss", "atom", "json") for c in candidates):
        candidates = [c for c in candidates if c.kind != "guess"]
    links = _review_links(html, final)
    feeds, pages = await asyncio.gather(
        probe_candidates(candidates, limit=MAX_FEEDS * 2, budget=left()),
        fetch_many([FetchRequest(url=u, accept=HTML_ACCEPT) for u in links], budget=left()),
    )
    found["feeds"] = [{"url": f.url, "title": f.title, "items": f.items} for f in feeds]
    found["reviews"] = _reviews_found([final], [home]) + _reviews_found(links, pages)
    return found


def explore(website: str) -> dict:
    """What the website offers: its feeds, its review pages (cached a while)."""
    key = "suggestions:site:" + hashlib.sha256(website.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = asyncio.run(_explore(website, settings.REQUEST_FETCH_BUDGET))
        cache.set(key, found, CACHE_SECONDS if not found["error"] else 60)
    return found


def from_website(tracked) -> tuple[list[Suggestion], str]:
    """The website's feeds and review pages; and why nothing came, if it failed."""
    found = []
    site = (urlsplit(tracked.website).hostname or "").removeprefix("www.")
    if tracked.website:
        explored = explore(tracked.website)
        for feed in explored["feeds"][:MAX_FEEDS]:
            label = feed["title"] or site
            why = _("The website's own news feed (%(n)d items now).") % {"n": feed["items"]}
            found.append(Suggestion(FEED, label, feed["url"], why))
        for page in explored["reviews"]:
            why = _("Reviews published on the website (%(n)d).") % {"n": page["count"]}
            label = _("Reviews on %(site)s") % {"site": site}
            found.append(Suggestion(REVIEWS, label, page["url"], why, SourceKind.HTML))
        error = explored["error"]
    else:
        error = ""
    # The demo's review page, read with its selectors: what the demo shows offline.
    for place in providers.review_pages(""):
        title = next((t for u, _k, t, _c in demo.sources() if u == place.url), place.url)
        why = _("One of the demo's offline sources.")
        found.append(Suggestion(REVIEWS, title, place.url, why, place.kind, config=place.config))
    return found, error


# --- connectors -----------------------------------------------------------------------------


def connector_suggestions(org, tracked) -> list[Suggestion]:
    """The review platforms an owner connects by signing in (Google, when this server
    has its client id: monitoring.connectors.available()): a link, not a one-click
    follow, since the platform asks the owner's consent first. Platforms that need an
    API key few small businesses have (Trustpilot, Tripadvisor) stay on the "Review
    platforms" page rather than crowding what is found for a new owner."""
    out = []
    for platform in connectors.available():
        if not (platform["configured"] and platform["oauth"]):
            continue
        url = reverse("connect-google", args=[org.code])
        label = _("Your %(platform)s reviews") % {"platform": platform["name"]}
        out.append(
            Suggestion(
                CONNECTOR, label, url, str(platform["needs"]), source_kind=SourceKind.CONNECTOR
            )
        )
    return out


# --- all together ---------------------------------------------------------------------------


@dataclass
class Found:
    suggestions: list[Suggestion]
    error: str = ""  # why the website gave nothing, in the fetcher's words
    name_noise: noises.Share | None = None


def suggest(org, tracked) -> Found:
    """Every suggestion for `tracked`, each marked followed or not, with its token."""
    found = searches(org, tracked)
    site, error = from_website(tracked)
    found += site
    unique, seen = [], set()
    for suggestion in found:
        suggestion.label = str(suggestion.label)[:200]  # a feed's title is the site's to choose
        try:
            # As the Source will store it, to tell what is followed already.
            suggestion.url = normalise_source_url(suggestion.url)
        except SourceError:
            continue
        if suggestion.url not in seen:
            seen.add(suggestion.url)
            unique.append(suggestion)
    followed = set(
        Follow.objects.filter(organisation=org, source__url__in=seen).values_list(
            "source__url", flat=True
        )
    )
    search_noise = noises.share(search_query(tracked))
    for suggestion in unique:
        suggestion.followed = suggestion.url in followed
        suggestion.token = sign(org, tracked, suggestion)
        if suggestion.kind == SEARCH:
            suggestion.noise = search_noise
    name_noise = noises.share(Query(id=0, names=tracked.names))
    # Connected, not followed: their links lead to the platform's own consent.
    return Found(unique + connector_suggestions(org, tracked), error, name_noise)
