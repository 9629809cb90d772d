"""The retention purge: what an organisation keeps, and for how long.

Mentions published before the organisation's retention are deleted (with their
notes, events, tags and alert links, by cascade), in bounded batches so that no
transaction holds millions of rows. The dashboard's rollups stay: DailyCount,
DailySource and DailyAspect are counts per day, name, source id, aspect and tone,
with nothing about a person; DailyAuthor rows (an author's name per day) older than
the retention are deleted. Then items nobody references any more go
(reputation/privacy/cleanup.py).
"""

import logging

from django.db import transaction
from django.utils import timezone

from reputation.dashboard.models import DailyAuthor
from reputation.mentions.models import Mention
from reputation.orgs.models import Organisation
from reputation.privacy import cleanup
from reputation.privacy.models import PrivacySettings, retention_cutoff

log = logging.getLogger(__name__)

BATCH = 500


def delete_mentions(queryset, batch: int = BATCH) -> int:
    """Delete these mentions by batches of primary keys; returns how many."""
    deleted = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        with transaction.atomic():
            Mention.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def purge_organisation(org, now=None, batch: int = BATCH) -> int:
    """Delete what the organisation keeps beyond its retention; returns the number of
    mentions deleted. Its rollup counts stay, its authors' names go."""
    cutoff = retention_cutoff(PrivacySettings.months_of(org), now)
    deleted = delete_mentions(Mention.objects.filter(organisation=org, published__lt=cutoff), batch)
    # The rollup's day is in the organisation's zone; a day that straddles the cutoff
    # keeps its authors until the next day's purge.
    DailyAuthor.objects.filter(
        organisation=org, day__lt=cutoff.astimezone(org.zone).date()
    ).delete()
    return deleted


def purge_all(now=None, batch: int = BATCH) -> dict:
    """The scheduled purge: every organisation, then the items left unreferenced."""
    now = now or timezone.now()
    mentions = 0
    for org in Organisation.objects.only("pk", "time_zone").order_by("pk").iterator():
        mentions += purge_organisation(org, now, batch)
    items = cleanup.delete_unreferenced_items(now=now, batch=batch)
    log.info("retention purge: %s mentions, %s items deleted", mentions, items)
    return {"mentions": mentions, "items": items}
