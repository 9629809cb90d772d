"""Following the links of a listing page to read each article in full.

An HTML source with `follow_links` lists items (title, link, maybe a teaser); the
article page behind each new link gives the main text, author and date. Only
entries this source has not shown before are followed, at most FOLLOW_MAX a
poll, so a listing is never re-crawled and one poll stays bounded.
"""

import asyncio
import logging

from monitoring.models import Sighting, Source
from monitoring.net.fetch import fetch_many
from monitoring.parse import decode_html
from monitoring.parse.article import extract_article
from monitoring.sources import kinds
from monitoring.types import HTML_ACCEPT, Entry, FetchRequest, SourceError

log = logging.getLogger(__name__)

FOLLOW_MAX = 10


def wanted(source: Source) -> bool:
    return kinds.follows_links(source.kind) and bool((source.config or {}).get("follow_links"))


def enrich(source: Source, entries: list[Entry], guid_hash) -> int:
    """Fill text, author and date of new entries from their article pages.

    Returns how many were enriched. A page that fails is skipped: the entry keeps
    what the listing gave.
    """
    hashes = {guid_hash(e): e for e in entries if e.url}
    seen = set(
        Sighting.objects.filter(source=source, guid_hash__in=list(hashes)).values_list(
            "guid_hash", flat=True
        )
    )
    targets = [e for h, e in hashes.items() if h not in seen][:FOLLOW_MAX]
    if not targets:
        return 0
    results = asyncio.run(fetch_many([FetchRequest(e.url, accept=HTML_ACCEPT) for e in targets]))
    done = 0
    for entry, result in zip(targets, results, strict=True):
        if not result.ok or result.not_modified:
            continue
        try:
            article = extract_article(decode_html(result.body, result.headers), result.final_url)
        except SourceError:
            continue
        except Exception:  # hostile markup must not cost the whole poll
            log.warning("reading article %s failed", entry.url, exc_info=True)
            continue
        if len(article.text) > len(entry.text):
            entry.text = article.text
        entry.author = entry.author or article.author
        entry.published = entry.published or article.published
        entry.title = entry.title or article.title
        done += 1
    return done
