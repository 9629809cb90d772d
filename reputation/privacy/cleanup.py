"""Items (and sources) nobody references any more.

Items are shared: one story seen by several organisations' sources is stored once.
An item is referenced while a mention points to it (any organisation's), or while a
source sighted it that an organisation follows, and it is younger than that
organisation's retention (it may still become a mention, by a history scan of a new
name).
Anything else holds personal data (authors, texts) for nobody, and is deleted, by
set-based queries in bounded batches.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from monitoring.models import Item, Sighting, Source
from reputation.mentions.models import Mention
from reputation.privacy.models import (
    DEFAULT_RETENTION_MONTHS,
    PrivacySettings,
    retention_cutoff,
)
from reputation.sources.models import Follow

BATCH = 500


def _followed_and_young(now) -> Q:
    """Items a followed source sighted, younger than the retention of one of the
    organisations that follow it (one clause per retention in use: a handful)."""
    by_months = Follow.objects.filter(organisation__privacy_settings__isnull=True)
    clauses = [(DEFAULT_RETENTION_MONTHS, by_months)]
    months_used = PrivacySettings.objects.values_list("retention_months", flat=True).distinct()
    for months in sorted(set(months_used)):
        follows = Follow.objects.filter(organisation__privacy_settings__retention_months=months)
        clauses.append((months, follows))
    wanted = Q(pk__in=[])
    for months, follows in clauses:
        sighted = Sighting.objects.filter(item=OuterRef("pk"), source__in=follows.values("source"))
        wanted |= Exists(sighted) & Q(published__gte=retention_cutoff(months, now))
    return wanted


def unreferenced_items(now=None):
    return Item.objects.filter(~Exists(Mention.objects.filter(item=OuterRef("pk")))).exclude(
        _followed_and_young(now)
    )


def delete_unreferenced_items(now=None, batch: int = BATCH, limit: int | None = None) -> int:
    """Delete unreferenced items (and their sightings), `batch` at a time; returns how
    many. Each batch is checked again inside its transaction: a mention created
    meanwhile keeps its item."""
    deleted = 0
    while limit is None or deleted < limit:
        ids = list(unreferenced_items(now).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            still = list(unreferenced_items(now).filter(pk__in=ids).values_list("pk", flat=True))
            Sighting.objects.filter(item_id__in=still).delete()
            Item.objects.filter(pk__in=still).delete()
        deleted += len(still)
        if len(still) < len(ids):
            break  # some became referenced meanwhile: the next run sees the rest
    return deleted


def delete_unfollowed_sources(source_ids) -> int:
    """Delete these sources if nobody follows them any more (their items go with
    them unless a mention still needs one: those items are kept)."""
    sources = Source.objects.filter(pk__in=list(source_ids)).exclude(
        Exists(Follow.objects.filter(source=OuterRef("pk")))
    )
    ids = list(sources.values_list("pk", flat=True))
    if not ids:
        return 0
    # An item another organisation's mention still points to outlives its source?
    # No: Item.source cascades, so such a source is kept; only sources none of whose
    # items is mentioned are deleted.
    mentioned = Item.objects.filter(source_id__in=ids).filter(
        Exists(Mention.objects.filter(item=OuterRef("pk")))
    )
    keep = set(mentioned.values_list("source_id", flat=True))
    gone = [pk for pk in ids if pk not in keep]
    with transaction.atomic():
        Source.objects.filter(pk__in=gone).delete()
    return len(gone)
