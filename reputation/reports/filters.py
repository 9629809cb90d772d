"""The simple mention filters of exports: sentiment, tracked name, period.

Unknown or malformed values are ignored (a hand-edited URL exports everything
rather than failing); tracked names are looked up within the organisation only.
"""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date

from reputation.models import Sentiment, TrackedName


def _day(value: str | None, end: bool = False):
    day = parse_date(value or "") if value else None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def filter_mentions(mentions, organisation, params):
    sentiment = params.get("sentiment")
    if sentiment in Sentiment.values:
        mentions = mentions.filter(sentiment=sentiment)
    name = params.get("name")
    if name:
        tracked = (
            TrackedName.objects.filter(organisation=organisation, code__in=[name]).first()
            if _is_uuid(name)
            else None
        )
        if tracked is not None:
            mentions = mentions.filter(tracked_name=tracked)
    start, end = _day(params.get("since")), _day(params.get("until"), end=True)
    if start:
        mentions = mentions.filter(published__gte=start)
    if end:
        mentions = mentions.filter(published__lte=end)
    return mentions


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
