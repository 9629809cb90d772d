"""Does a feed name a WebSub hub? (W3C WebSub, section 4: discovery.)

The publisher names its hub and the feed's own address (the topic) either in the
HTTP `Link:` header or in the feed (`<link rel="hub">`, `<atom:link rel="self">`);
the header wins, as the spec says. Both are hostile input: only http(s) addresses
of bounded length come out, and the hub still goes through the fetcher's anti-SSRF
checks when we write to it.
"""

import re
from urllib.parse import urljoin

from monitoring.parse.sanitize import safe_url
from monitoring.types import Parsed

MAX_URL = 2000
# One `<url>; rel="a b"` of a Link header (RFC 8288), loosely.
_LINK = re.compile(r"<([^>]{1,2000})>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""", re.IGNORECASE)


def header_links(value: str, base: str) -> dict[str, str]:
    """rel -> absolute URL, the first of each, from a Link header."""
    found: dict[str, str] = {}
    for match in _LINK.finditer(value[:8000]):
        rel = _REL.search(match.group(2) or "")
        if not rel:
            continue
        try:
            url = urljoin(base, match.group(1).strip())
        except ValueError:
            continue
        for name in (rel.group(1) or rel.group(2) or "").lower().split():
            found.setdefault(name, url)
    return found


def hub_and_topic(parsed: Parsed, headers: dict, url: str) -> tuple[str, str]:
    """(hub, topic) the feed names, or ("", "") when it names no hub.

    Without a rel="self", the address we read the feed at is the topic."""
    links = header_links(headers.get("link", ""), url) if headers else {}
    hub = safe_url(links.get("hub") or parsed.hub)[:MAX_URL]
    if not hub:
        return "", ""
    topic = safe_url(links.get("self") or parsed.self_url or url)[:MAX_URL]
    return (hub, topic) if topic else ("", "")
