"""Where a diagnostic looks: the one place that says which addresses are searched.

In production, the search presets (monitoring/sources/presets.py) built from the
business's name, with its town to tell homonyms apart, and the website the visitor
gave. In DEMO_MODE, the demo's own offline sources (reputation/demo/), so that the
diagnostic works without the network. Tests set DIAGNOSTIC_SEARCHES to local servers.
"""

from dataclasses import asdict, dataclass, field
from urllib.parse import quote_plus

from django.conf import settings

from monitoring.models import SourceKind
from monitoring.sources import presets
from reputation.demo import content as demo

# The news searches every diagnostic runs: they need no account and cover the press.
SEARCH_PRESETS = ("google_news", "bing_news")


@dataclass
class Place:
    """An address the diagnostic reads, and how an organisation would follow it."""

    url: str
    kind: str  # a SourceKind
    preset: str = ""
    config: dict = field(default_factory=dict)
    # Reviews read here are about the business itself (its website, its review page):
    # they count without having to name it.
    own: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def query(name: str, town: str) -> str:
    """The search query: the name in quotes, then the town as a plain word."""
    q = presets.query_for(name)
    town = " ".join(town.replace('"', " ").split())
    return f"{q} {town}".strip() if q else ""


def searches(name: str, town: str, language: str = "fr") -> list[Place]:
    if settings.DEMO_MODE:
        return [
            Place(url, kind)
            for url, kind, _title, _config in demo.sources()
            if kind in (SourceKind.FEED, SourceKind.SEARCH)
        ]
    q = query(name, town)
    if not q:
        return []
    if settings.DIAGNOSTIC_SEARCHES:
        return [
            Place(template.format(q=quote_plus(q)), SourceKind.SEARCH, key)
            for key, template in settings.DIAGNOSTIC_SEARCHES
        ]
    return [
        Place(presets.build(key, q=q, lang=language), SourceKind.SEARCH, key)
        for key in SEARCH_PRESETS
    ]


def review_pages(website: str) -> list[Place]:
    """Pages whose schema.org reviews are the business's own: its website's home page,
    and in the demo the demo's review page."""
    pages = [Place(website, SourceKind.HTML, own=True)] if website else []
    if settings.DEMO_MODE:
        pages += [
            Place(url, kind, config=config, own=True)
            for url, kind, _title, config in demo.sources()
            if kind == SourceKind.HTML
        ]
    return pages
