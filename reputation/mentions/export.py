"""Mentions as plain rows for exports (command, and later CSV and API)."""

from django.utils.dateparse import parse_date, parse_datetime

from reputation.models import Mention


def mention_rows(organisation, since: str | None = None):
    mentions = Mention.objects.filter(organisation=organisation).select_related(
        "item", "tracked_name", "source"
    )
    if since:
        when = parse_datetime(since) or parse_date(since)
        if when is None:
            raise ValueError(f"invalid date {since!r}")
        mentions = mentions.filter(published__gte=when)
    for m in mentions.order_by("published", "pk").iterator(chunk_size=1000):
        yield m.to_dict()
