"""The parse stage: a fetched body -> entries, by source kind.

Called by monitoring/poll.py for every successful fetch. Whatever the body holds,
only SourceError comes out: its message is shown to users on the source's health
page, its code is stable for filtering and statistics.
"""

import logging

from django.utils.translation import gettext as _

from monitoring.parse.feeds import parse_feed
from monitoring.parse.forum import extract_forum_posts
from monitoring.parse.html import parse_page
from monitoring.sources import kinds
from monitoring.types import FetchResult, Parsed, SourceError

log = logging.getLogger(__name__)


def parse(kind: str, result: FetchResult, config: dict) -> Parsed:
    url = result.final_url or result.url
    config = config if isinstance(config, dict) else {}
    found = kinds.get(kind)
    parser = found.parser if found else None
    try:
        if parser == kinds.FEED_PARSER:
            return parse_feed(result.body, url, result.headers)
        if parser in (kinds.PAGE_PARSER, kinds.FORUM_PARSER):
            html = decode_html(result.body, result.headers)
            if parser == kinds.FORUM_PARSER:
                return Parsed(entries=extract_forum_posts(html, url, config))
            return parse_page(html, url, config)
    except SourceError:
        raise
    except Exception as exc:  # a bug or a parser choking on hostile input
        log.warning("parsing %s (%s) failed", url, kind, exc_info=True)
        raise SourceError(
            "parse_error",
            _("the content of this source could not be read (%(error)s)")
            % {"error": type(exc).__name__},
        ) from exc
    raise SourceError(
        "unknown_kind", _("this kind of source is not supported: %(kind)s") % {"kind": kind}
    )


def decode_html(body: bytes, headers: dict | None = None) -> str:
    """Text of an HTML body: HTTP charset, then <meta charset>, then a guess."""
    from bs4.dammit import EncodingDetector, UnicodeDammit

    if not body or not body.strip():
        raise SourceError("empty", _("the server sent an empty page"))
    body = body[:10_000_000]
    content_type = (headers or {}).get("content-type", "")
    known = []
    if "charset=" in content_type.lower():
        known.append(content_type.lower().split("charset=")[-1].split(";")[0].strip(" \"'"))
    declared = EncodingDetector.find_declared_encoding(body[:4096], is_html=True)
    if declared:
        known.append(declared)
    dammit = UnicodeDammit(body, known_definite_encodings=known, is_html=True)
    if dammit.unicode_markup is None:
        return body.decode("utf-8", errors="replace")
    return dammit.unicode_markup
