"""Mentions for the inbox tests: several at once, cheaply, with chosen dates."""

from datetime import timedelta

from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.sources.models import Follow


def source_for(org, url=None, **kwargs) -> Source:
    source, _ = Source.objects.get_or_create(
        url=url or f"https://example.org/{org.slug}.xml", defaults=kwargs
    )
    Follow.objects.get_or_create(organisation=org, source=source)
    return source


def add_mentions(org, n, start=None, step=timedelta(minutes=1), label="Dupont", **kwargs):
    """`n` mentions, newest first `step` apart (a zero step gives ties on `published`)."""
    start = start or timezone.now()
    source = kwargs.pop("source", None) or source_for(org)
    tracked, _ = TrackedName.objects.get_or_create(organisation=org, label=label)
    base = Item.objects.count()
    items = Item.objects.bulk_create(
        Item(
            source=source,
            guid_hash=f"{org.slug}-{base + i}",
            title=kwargs.get("title", f"Story {base + i}"),
            url=f"https://example.org/{org.slug}/{base + i}",
            published=start - i * step,
        )
        for i in range(n)
    )
    mentions = []
    for item in items:
        m = Mention(
            organisation=org,
            tracked_name=tracked,
            item=item,
            source=source,
            url=item.url,
            published=item.published,
            title=item.title,
            snippet=kwargs.get("snippet", f"{label} in {item.title}"),
            sentiment=kwargs.get("sentiment", "neutral"),
            language=kwargs.get("language", "fr"),
            status=kwargs.get("status", "new"),
        )
        m.priority = 0
        mentions.append(m)
    from reputation.inbox.priority import compute_priority

    for m in mentions:
        m.priority = compute_priority(m)
    return Mention.objects.bulk_create(mentions)
