"""canonical_url splits a link once (the redirect check read a split of its own, then
the link was split again): the keys of a stored item must be those it had before.
The previous code is kept here as the reference and both run on every link of the
real feeds, with and without fragments, and on redirects and odd addresses."""

from urllib.parse import urlsplit, urlunsplit

import feedparser

from monitoring.parse.canonical import _is_tracking, canonical_url, unwrap_redirect
from monitoring.tools.shared_data import shared_data
from tests.shared import needs


def old_canonical_url(url: str, keep_fragment: bool = False) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(unwrap_redirect(url))
        port = parts.port
    except ValueError:
        return ""
    pairs = [p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0])]
    netloc = (parts.hostname or "").lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"
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


ODD = [
    "",
    "  https://A.example/x?utm_source=y&b=2&a=1#frag  ",
    "https://www.google.com/url?rct=j&url=https://a.fr/x%3Fy%3D1&ct=ga",
    "https://www.google.com/url?q=javascript:alert(1)",
    "https://news.google.com/url?url=https://www.google.com/url?url=https://b.fr/",
    "https://l.facebook.com/l.php?u=http://[::1",
    "https://www.bing.com/news/apiclick.aspx?url=https://c.fr:99999/",
    "http://[::1",
    "http://a.example:99999/",
    "http://u:p@[2001:db8::1]:8080/p?q=1&fbclid=x",
    "http://a.example%25eth0/",
    "mailto:x@example.org",
    "/relative/path?x=1",
]


def _same(url: str) -> bool:
    return all(canonical_url(url, k) == old_canonical_url(url, k) for k in (False, True))


def test_it_keys_odd_addresses_as_before():
    assert [u for u in ODD if not _same(u)] == []


@needs("feeds")
def test_it_keys_every_real_feed_link_as_before():
    links = []
    for path in sorted(shared_data("feeds").rglob("*")):
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        doc = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for entry in doc.entries:
            links += [entry.get("link", ""), entry.get("id", "")]
            links += [link.get("href", "") for link in entry.get("links", [])]
    assert len(links) > 3000  # the comparison must run on something
    assert [u for u in links if not _same(u)] == []
