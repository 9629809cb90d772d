"""The JSON document of a signed webhook: versioned, documented in docs/webhooks.md.

Each mention carries what the organisation sees of it (its own title, snippet and
tone, corrected or not), never another organisation's view of the same item.
"""

from django.conf import settings
from django.urls import reverse

from monitoring.parse.sanitize import safe_url
from reputation.alerts.models import NotificationKind

VERSION = 1
# Bounds the document (an instant alert groups a minute of mentions; spikes many).
MAX_MENTIONS = 50
EVENTS = {
    NotificationKind.INSTANT: "mention.negative",
    NotificationKind.SPIKE: "spike",
    NotificationKind.TEST: "test",
}


def message_id(notification) -> str:
    return f"msg_{notification.code.hex}"


def mention_fields(mention, severity) -> dict:
    source = mention.source
    return {
        "id": str(mention.code),
        "title": mention.title or mention.item.title or mention.snippet[:80],
        "url": safe_url(mention.item.url),
        "snippet": mention.snippet,
        "sentiment": mention.sentiment,
        "score": round(mention.score, 3),
        "severity": severity,
        "tracked_name": mention.tracked_name.label,
        "source": {"title": source.title, "url": safe_url(source.url)} if source else None,
        "published": mention.published.isoformat(),
    }


def build(notification, now) -> dict:
    org = notification.organisation
    data = notification.data or {}
    severities = data.get("severity", {})
    mentions = notification.mentions.select_related("item", "source", "tracked_name")
    body = {
        "organisation": {"code": str(org.code), "name": org.name},
        "dashboard_url": settings.SITE_ROOT + reverse("dashboard", args=[org.code]),
        "mentions": [
            mention_fields(m, severities.get(str(m.pk)))
            for m in mentions.order_by("-published", "pk")[:MAX_MENTIONS]
        ],
    }
    if notification.kind == NotificationKind.SPIKE:
        body["spike"] = {"count": data.get("count", 0), "expected": data.get("expected", 0)}
    return {
        "version": VERSION,
        "id": message_id(notification),
        "type": EVENTS.get(notification.kind, notification.kind),
        "timestamp": notification.created.isoformat(),
        "data": body,
    }
