"""Review platforms read through their official APIs: one class per platform.

In the spirit of lemon24/reader's retrievers: a connector source (kind
"connector", monitoring/sources/kinds.py) is read by the connector its account
names, behind this registry; what it returns are plain Entries, and everything
after (storage, sightings, mentions, the stars as the tone) is the usual pipeline.
docs/connectors.md says what each platform needs.
"""

from django.utils.translation import gettext_lazy as _

from monitoring.connectors.base import Connector, PlatformError
from monitoring.connectors.google import Google
from monitoring.connectors.tripadvisor import Tripadvisor
from monitoring.connectors.trustpilot import Trustpilot

REGISTRY: dict[str, Connector] = {c.key: c() for c in (Google, Trustpilot, Tripadvisor)}

# What each one asks of the person connecting it (the add-source page says it).
NEEDS = {
    "google": _(
        "Connect Google: the owner or a manager of the Business Profile signs in with "
        "Google and allows us to read and answer its reviews."
    ),
    "trustpilot": _(
        "Trustpilot: the API key of your Trustpilot API application and your business unit id."
    ),
    "tripadvisor": _(
        "Tripadvisor: a Content API key and the location id of your business (its 5 "
        "latest reviews are read)."
    ),
}

# Platforms that offer businesses no API to read their reviews: their public page
# only, through the generic page reader, which respects their robots.txt.
WITHOUT_API = {"pagesjaunes": "Pages Jaunes"}

__all__ = ["REGISTRY", "Connector", "PlatformError", "available", "get"]


def get(key: str) -> Connector | None:
    return REGISTRY.get(key or "")


def available() -> list[dict]:
    """Every connector, with whether this server can use it and what it needs: for
    the add-source page and the sources proposed to a new owner."""
    return [
        {
            "key": c.key,
            "name": c.name,
            "configured": c.configured(),
            "oauth": c.oauth,
            "can_reply": c.can_reply,
            "needs": NEEDS[c.key],
        }
        for c in REGISTRY.values()
    ]
