"""What is stored from the web is cleaned first: text without control characters,
links that are http(s) only.

Everything fetched is hostile. A NUL character in one item's title made PostgreSQL
refuse the whole poll (and so the good items with it); a lone surrogate fails the
same way when encoded to UTF-8. A `javascript:` or `data:` link placed in `href`
runs in the reader's session. These functions are applied where items and sources
are stored, and `safe_url` again where a link is rendered (the `safe_url` filter).
"""

import re
from urllib.parse import urlsplit

# C0 controls except tab, new line and carriage return (the text keeps its lines),
# DEL, C1 controls, and lone surrogates (not encodable in UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Browsers drop tabs and new lines inside a URL: "java\nscript:" is "javascript:".
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


def clean_text(value: str) -> str:
    """`value` without control characters (tab, new line and carriage return kept)."""
    if not value:
        return value or ""
    return _CONTROL.sub("", value)


def safe_url(value: str) -> str:
    """`value` if it is an absolute http(s) address, otherwise "" (never a script)."""
    if not value:
        return ""
    url = clean_text(value).strip()
    # What the browser sees: control characters and spaces removed inside the scheme.
    scheme = _URL_NOISE.sub("", url.split(":", 1)[0]).lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # an invalid IPv6 literal, for instance
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url


def clean_entry(entry) -> None:
    """Clean an Entry in place before it is stored: text fields and its link."""
    entry.guid = clean_text(entry.guid)
    entry.title = clean_text(entry.title)
    entry.text = clean_text(entry.text)
    entry.author = clean_text(entry.author)
    entry.url = safe_url(entry.url)
