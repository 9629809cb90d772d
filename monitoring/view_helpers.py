"""What the add-a-source pages ask of the collection code: fetch a page, discover
its feeds, preview CSS selectors, build a search preset.

The discovery, extraction and preset modules are written by others and imported
lazily: if one is missing or its interface differs, the page shows a form error
(`ToolMissing`) instead of a traceback. Fetch failures become a SourceError whose
message is the fetcher's user-facing sentence.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.budget import time_budget
from monitoring.types import FetchRequest, FetchResult, SourceError

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

# Entries shown by the preview: enough to judge the selectors.
PREVIEW_ENTRIES = 20


class ToolMissing(Exception):
    """A collection helper this page relies on is not available (yet)."""


@dataclass
class FeedChoice:
    url: str
    title: str = ""
    kind: str = "feed"
    items: int | None = None  # entries found when the candidate was probed


def fetch_page(url: str, accept: str = HTML_ACCEPT) -> FetchResult:
    from monitoring.fetch import fetch

    try:
        result = fetch(FetchRequest(url=url, accept=accept))
    except Exception as exc:  # the page must show a sentence, never a traceback
        log.exception("fetching %s for a user failed", url)
        raise SourceError("internal", _("This address could not be fetched.")) from exc
    if not result.ok:
        # The fetcher's sentence is already in the user's language.
        raise SourceError(result.error_code or "fetch", result.error)
    return result


def decode_body(result: FetchResult) -> str:
    """The page's text, decoded as the poll will decode it (SourceError when empty)."""
    from monitoring.parse import decode_html

    return decode_html(result.body, result.headers)


def as_feed(result: FetchResult) -> FeedChoice | None:
    """The page asked for, if it is itself a feed (people paste feed addresses here too).

    Read by the feed parser the poll uses, so what is offered is what will be polled.
    """
    from monitoring.feeds import looks_like_html, parse_feed

    if looks_like_html(result.body):
        return None
    url = result.final_url or result.url
    try:
        parsed = parse_feed(result.body, url, result.headers)
    except SourceError:
        return None
    return FeedChoice(url, parsed.title or _("This address is a feed"), "feed", len(parsed.entries))


def _tool(module: str, name: str):
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ToolMissing(f"{module}.{name}") from exc


def discover(url: str) -> list[FeedChoice]:
    """The feeds of the site at `url`, checked by fetching them (or the page itself
    if it is a feed)."""
    result = fetch_page(url)
    final_url = result.final_url or url
    feed = as_feed(result)
    if feed is not None:
        return [feed]
    # find_feeds lists the candidates and keeps those that really parse as feeds.
    find_feeds = _tool("monitoring.discover", "find_feeds")
    html = decode_body(result)
    try:
        links = find_feeds(html, final_url)
    except Exception as exc:
        log.exception("feed discovery failed on %s", final_url)
        raise ToolMissing("discover_feeds") from exc
    return [FeedChoice(link.url, link.title, link.kind, link.items) for link in links]


def preview_entries(url: str, config: dict):
    """(entries, warnings) that these selectors extract from the page today."""
    preview = _tool("monitoring.extract.html", "preview")
    result = fetch_page(url)
    try:
        with time_budget(settings.POLL_PARSE_SECONDS):
            entries, warnings = preview(decode_body(result), result.final_url or url, config)
    except SourceError:
        raise
    except Exception as exc:
        log.exception("HTML preview failed on %s", url)
        raise ToolMissing("preview") from exc
    return list(entries)[:PREVIEW_ENTRIES], list(warnings)


def preview_forum(url: str, config: dict):
    """(posts, warnings) read from the thread today, as the poll will read them."""
    from monitoring.parse import parse

    result = fetch_page(url)
    try:
        with time_budget(settings.POLL_PARSE_SECONDS):
            posts = parse("forum", result, config).entries
    except SourceError:
        raise
    except Exception as exc:
        log.exception("forum preview failed on %s", url)
        raise ToolMissing("forum") from exc
    warnings = [] if posts else [_("No message was found on this page.")]
    return list(posts)[:PREVIEW_ENTRIES], warnings


# Pasted alert feeds have their own form; these presets only check the address.
ALERT_PRESETS = ("google_alerts", "talkwalker_alerts")


@dataclass
class PresetChoice:
    key: str
    label: str
    help: str = ""
    params: tuple = ()
    kind: str = "search"

    @property
    def by_name(self) -> bool:
        """Searched with a tracked name (a query), rather than an account or a tag."""
        return tuple(self.params) == ("q",)


def presets() -> list[PresetChoice]:
    found = _tool("monitoring.presets", "PRESETS")
    return [
        PresetChoice(
            p.key, str(p.label), str(p.help), tuple(p.params), getattr(p, "kind", "search")
        )
        for p in found
        if p.key not in ALERT_PRESETS
    ]


def _preset_params(preset: PresetChoice, tracked, value: str) -> dict:
    if preset.by_name:
        if tracked is None:
            raise SourceError("bad_preset", _("Choose the tracked name to search for."))
        query_for = _tool("monitoring.presets", "query_for")
        params = {"q": query_for(tracked.label, list(tracked.aliases))}
        if tracked.languages:
            params["lang"] = tracked.languages[0]
        return params
    value = (value or "").strip()
    if not value:
        raise SourceError("bad_preset", _("This search needs a value."))
    if tuple(preset.params) == ("instance", "user"):
        # Mastodon accounts are written @user@server.
        user, _at, instance = value.lstrip("@").partition("@")
        return {"user": user, "instance": instance}
    return {preset.params[0]: value} if preset.params else {}


def preset_url(key: str, tracked=None, value: str = "") -> tuple[str, str]:
    """(feed address, source kind) of a preset for a tracked name or a value.

    SourceError with a sentence for the user when a value is missing or malformed.
    """
    build = _tool("monitoring.presets", "build")
    preset = next((p for p in presets() if p.key == key), None)
    if preset is None:
        raise SourceError("bad_preset", _("Unknown search."))
    return build(key, **_preset_params(preset, tracked, value)), preset.kind


def alert_url(url: str) -> str:
    """A pasted Google Alerts / Talkwalker address, normalised when it is one."""
    try:
        build = _tool("monitoring.presets", "build")
    except ToolMissing:
        return url
    for key in ALERT_PRESETS:
        try:
            return build(key, url=url)
        except SourceError:
            continue
    return url  # another search feed: polled as it is
