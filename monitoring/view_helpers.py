"""What the add-a-source pages ask of the collection code: fetch a page, discover
its feeds, preview CSS selectors, build a search preset.

The discovery, extraction and preset modules are written by others and imported
lazily: if one is missing or its interface differs, the page shows a form error
(`ToolMissing`) instead of a traceback. Fetch failures become a SourceError whose
message is the fetcher's user-facing sentence.
"""

import logging
import re
from dataclasses import dataclass

from bs4 import UnicodeDammit
from django.utils.translation import gettext as _

from monitoring.types import FetchRequest, FetchResult, SourceError

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_FEED_TYPES = ("rss", "atom", "rdf", "xml", "feed+json")
_FEED_HEAD = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)

# Entries shown by the preview: enough to judge the selectors.
PREVIEW_ENTRIES = 20


class ToolMissing(Exception):
    """A collection helper this page relies on is not available (yet)."""


@dataclass
class FeedChoice:
    url: str
    title: str = ""
    kind: str = "feed"


def fetch_page(url: str, accept: str = HTML_ACCEPT) -> FetchResult:
    from monitoring.fetch import fetch

    try:
        result = fetch(FetchRequest(url=url, accept=accept))
    except Exception as exc:  # the page must show a sentence, never a traceback
        log.exception("fetching %s for a user failed", url)
        raise SourceError("internal", _("This address could not be fetched.")) from exc
    if not result.ok:
        raise SourceError(result.error_code or "fetch", _(result.error))
    return result


def decode_body(result: FetchResult) -> str:
    charset = re.search(r"charset=([\w.:-]+)", result.headers.get("content-type", ""), re.I)
    hints = [charset.group(1)] if charset else []
    return UnicodeDammit(result.body, hints, is_html=True).unicode_markup or ""


def is_feed(result: FetchResult) -> bool:
    """The page asked for is itself a feed (people paste feed addresses here too)."""
    if any(t in result.content_type for t in _FEED_TYPES) and "html" not in result.content_type:
        return True
    return bool(_FEED_HEAD.search(result.body[:2048]))


def _tool(module: str, name: str):
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ToolMissing(f"{module}.{name}") from exc


def _choice(link) -> FeedChoice:
    if isinstance(link, str):
        return FeedChoice(link)
    return FeedChoice(
        getattr(link, "url", ""), getattr(link, "title", "") or "", getattr(link, "kind", "")
    )


def discover(url: str) -> list[FeedChoice]:
    """The feeds announced by the page at `url` (or the page itself if it is a feed)."""
    result = fetch_page(url)
    final_url = result.final_url or url
    if is_feed(result):
        return [FeedChoice(final_url, _("This address is a feed"))]
    discover_feeds = _tool("monitoring.discover", "discover_feeds")
    try:
        links = discover_feeds(decode_body(result), final_url)
    except Exception as exc:
        log.exception("feed discovery failed on %s", final_url)
        raise ToolMissing("discover_feeds") from exc
    seen, choices = set(), []
    for link in links or []:
        choice = _choice(link)
        if choice.url and choice.url not in seen:
            seen.add(choice.url)
            choices.append(choice)
    return choices


def preview_entries(url: str, config: dict):
    """(entries, warnings) that these selectors extract from the page today."""
    preview = _tool("monitoring.extract.html", "preview")
    result = fetch_page(url)
    try:
        entries, warnings = preview(decode_body(result), result.final_url or url, config)
    except SourceError:
        raise
    except Exception as exc:
        log.exception("HTML preview failed on %s", url)
        raise ToolMissing("preview") from exc
    return list(entries)[:PREVIEW_ENTRIES], list(warnings)


def _preset_key_label(preset) -> tuple[str, str]:
    if isinstance(preset, tuple | list):
        return str(preset[0]), str(preset[1] if len(preset) > 1 else preset[0])
    if isinstance(preset, dict):
        key = preset.get("key")
        return str(key), str(preset.get("label") or key)
    key = getattr(preset, "key", None) or str(preset)
    return key, str(getattr(preset, "label", None) or key)


def preset_choices() -> list[tuple[str, str]]:
    presets = _tool("monitoring.presets", "PRESETS")
    if isinstance(presets, dict):
        presets = list(presets.values())
    return [_preset_key_label(p) for p in presets]


def preset_url(key: str, tracked) -> str:
    """The search feed address of a preset for one tracked name."""
    build = _tool("monitoring.presets", "build")
    languages = list(tracked.languages)
    return build(key, query=tracked.label, language=languages[0] if languages else "fr")
