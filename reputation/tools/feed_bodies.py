"""The benchmarks' feed bodies: RSS built from the items of real feeds.

No Django: the feed server (reputation/tools/feed_server.py) runs in its own process
and builds the bodies of `bench round` on each request with `feed_body`.
"""

import html
from datetime import datetime, timedelta
from email.utils import format_datetime

from monitoring.tools.shared_data import shared_data

ITEMS_PER_FEED = 20
SHARED_FEEDS = shared_data("feeds")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def real_items(limit_bytes: int = 400_000) -> list[tuple[str, str]]:
    """(title, HTML description) of the items of the shared real feeds."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    items = []
    files = sorted(p for p in SHARED_FEEDS.rglob("*") if p.suffix in (".xml", ".rss", ".atom"))
    for path in files:
        if path.stat().st_size > limit_bytes:
            continue
        try:
            root = etree.fromstring(path.read_bytes(), parser)
        except (etree.XMLSyntaxError, ValueError):
            continue
        if root is None:
            continue
        for el in root.iter():
            if _local(el.tag) not in ("item", "entry"):
                continue
            fields = {_local(c.tag): (c.text or "").strip() for c in el}
            title = fields.get("title", "")
            text = (
                fields.get("encoded")
                or fields.get("description")
                or fields.get("content")
                or fields.get("summary")
                or ""
            )
            if title and len(text) > 80:
                items.append((title[:300], text[:3000]))
    if not items:
        raise RuntimeError(f"no feed items found under {SHARED_FEEDS}")
    return items


def feed_body(
    i: int,
    pool: list[tuple[str, str]],
    now: datetime,
    tracked: list[str],
    newest: int = ITEMS_PER_FEED - 1,
) -> bytes:
    """RSS for source i: its ITEMS_PER_FEED latest items, real ones, unique to it.

    Item k is the source's k-th item ever (guid and link say so); the feed shows items
    newest-19 to newest, so that raising `newest` publishes that many new items. One
    item in seven names one of `tracked` (the names of who follows the source).
    """
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>Source {i}</title><link>https://site{i}.example.fr/</link>",
        "<description>Benchmark feed</description><language>fr</language>",
    ]
    for age in range(ITEMS_PER_FEED):
        k = newest - age
        title, text = pool[(i * ITEMS_PER_FEED + k * 7) % len(pool)]
        # A unique opening keeps the content fingerprint (first 2,000 characters)
        # unique to this item: the shared data holds some feeds twice.
        text = f"<p>Édition {i}-{k} de la source {i}.</p>{text}"
        if tracked and (i + k) % 7 == 0:
            name = tracked[(i + k) % len(tracked)]
            text += f"<p>Nous avons testé {name} ce week-end, un accueil très chaleureux.</p>"
        when = format_datetime(now - timedelta(hours=age + i % 24), usegmt=True)
        out.append(
            f"<item><title>{html.escape(title)}</title>"
            f"<link>https://site{i}.example.fr/post/{k}</link>"
            f'<guid isPermaLink="false">source-{i}-item-{k}</guid>'
            f"<pubDate>{when}</pubDate>"
            f"<description>{html.escape(text)}</description></item>"
        )
    out.append("</channel></rss>\n")
    return "".join(out).encode()
