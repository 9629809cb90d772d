"""Canonical URLs and dedup keys: the same story seen twice must be one item."""

import contextlib
import hashlib
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit, urlunsplit

from courlan import normalize_url

# Redirectors that wrap the real link (Google Alerts, Google News, Facebook...).
_WRAPPERS = {
    ("www.google.com", "/url"): "url",
    ("google.com", "/url"): "url",
    ("news.google.com", "/url"): "url",
    ("l.facebook.com", "/l.php"): "u",
}


def canonical_url(url: str) -> str:
    """Tracking parameters and fragment removed, query sorted, host lower-cased."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    key = _WRAPPERS.get((parts.hostname or "", parts.path))
    if key:
        target = parse_qs(parts.query).get(key)
        if target and target[0].startswith(("http://", "https://")):
            url = target[0]
    # normalize_url drops utm_*, fbclid, gclid...; sorts the query. A URL it cannot
    # read is kept as it is.
    with contextlib.suppress(ValueError, AttributeError):
        url = normalize_url(url)
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fingerprint(title: str, text: str) -> str:
    """A hash of the normalised words: equal for a story re-published with a new guid.

    Empty when there is too little text to tell two items apart ("Re: question").
    """
    folded = unicodedata.normalize("NFKD", f"{title} {text}".lower())
    words = _NON_WORD.sub(" ", "".join(c for c in folded if not unicodedata.combining(c)))
    words = " ".join(words.split())[:2000]
    return sha1(words) if len(words) >= 80 else ""
