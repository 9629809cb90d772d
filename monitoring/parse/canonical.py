"""Canonical URLs and dedup keys: the same story seen twice must be one item."""

import hashlib
import re
from urllib.parse import parse_qs, urlsplit, urlunsplit

from monitoring.normalise import strip_accents

# Redirectors that wrap the real link (Google Alerts, Google News, Bing News,
# Facebook): host -> (path, query parameters that may hold the target).
_REDIRECTORS = {
    "www.google.com": ("/url", "url", "q"),
    "google.com": ("/url", "url", "q"),
    "news.google.com": ("/url", "url", "q"),
    "www.bing.com": ("/news/apiclick.aspx", "url"),
    "l.facebook.com": ("/l.php", "u"),
}


def unwrap_redirect(link: str) -> str:
    """The real article behind a redirect link; the link itself otherwise."""
    return _unwrapped(link, urlsplit(link))


def _unwrapped(link: str, parts) -> str:
    rule = _REDIRECTORS.get((parts.hostname or "").lower())
    if not rule or parts.path.lower() != rule[0]:
        return link
    query = parse_qs(parts.query)
    for key in rule[1:]:
        target = (query.get(key) or [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    return link


def canonical_url(url: str, keep_fragment: bool = False) -> str:
    """Tracking parameters and fragment removed, query sorted, host lower-cased.

    `keep_fragment`: where the fragment names a part of the page (a forum post's
    `#p1234` permalink), it is part of the identity.
    """
    url = (url or "").strip()
    if not url:
        return ""
    try:
        # Split once: a link is rarely a redirect (then its target is split).
        parts = urlsplit(url)
        target = _unwrapped(url, parts)
        if target is not url:
            parts = urlsplit(target)
        port = parts.port
    except ValueError:  # "http://[::1", a port out of range: not an address
        return ""
    # Our own list, not a library's: some "tracking-looking" parameters carry meaning
    # (Google News needs gl=FR). The query keeps its encoding, sorted by parameter.
    pairs = [p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0])]
    netloc = (parts.hostname or "").lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"  # an IPv6 literal keeps its brackets
    if port and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        netloc += f":{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            parts.path or "/",
            "&".join(sorted(pairs)),
            parts.fragment if keep_fragment else "",
        )
    )


_TRACKING = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "xtor",
    "ref_src",
    "ref_url",
    "cmpid",
    "ncid",
    "at_medium",
    "at_campaign",
    "at_creation",
    "at_format",
    "at_link",
    "at_send_date",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wt_mc",
    "s_cid",
    "_ga",
    "_gl",
    "spm",
}


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING or key.startswith(("utm_", "pk_", "mtm_"))


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fingerprint(title: str, text: str) -> str:
    """A hash of the normalised words: equal for a story re-published with a new guid.

    Empty when there is too little text to tell two items apart ("Re: question").
    """
    # The opening is enough to tell two stories apart, and keeps long bodies cheap.
    words = _NON_WORD.sub(" ", strip_accents(f"{title} {text}"[:3000].lower()))
    words = " ".join(words.split())[:2000]
    return sha1(words) if len(words) >= 80 else ""
