"""Tone that learns from the organisation: its corrections and its reviews' stars.

The collector's scorer is the same for everyone; each organisation's own labels
adjust the scoring of its mentions only (monitoring.sentiment.adapt). The adapter is
learnt in the background after a correction (a few ms for 200 labels, about 1 s for
2,000) and read by workers when they score that organisation's mentions.
"""

import time

from django.utils import timezone

from monitoring.sentiment import adapt, from_rating, learning, mask
from reputation.mentions import relearn
from reputation.mentions.models import Mention, ToneAdapter

# The labels learnt from: the newest corrections and rated reviews.
MAX_CORRECTIONS = 2000
MAX_RATED = 500
# Learning runs in a worker (reputation/mentions/tasks.py), queued by name.
REBUILD_TASK = relearn.REBUILD_TONE  # queued by relearn.schedule


def examples_for(organisation) -> list[tuple[str, str, str]]:
    """(text, label, language) of the organisation's own labelled mentions."""
    mentions = Mention.objects.filter(organisation=organisation).select_related("tracked_name")
    corrected = mentions.filter(corrected_at__isnull=False).order_by("-corrected_at")
    rated = mentions.filter(rating__isnull=False, corrected_at__isnull=True)
    rows = []
    for m in corrected[:MAX_CORRECTIONS]:
        rows.append((mask(m.snippet, m.tracked_name.names), m.sentiment, m.language))
    for m in rated.order_by("-published")[:MAX_RATED]:
        label = from_rating(m.rating).label
        rows.append((mask(m.snippet, m.tracked_name.names), label, m.language))
    return [r for r in rows if r[0].strip()]


def rebuild(organisation) -> ToneAdapter:
    adapter = learning.learn(examples_for(organisation))
    row, _ = ToneAdapter.objects.update_or_create(
        organisation=organisation,
        defaults={
            "data": adapter.to_json(),
            "examples": adapter.examples,
            "updated": timezone.now(),
        },
    )
    _cache.pop(organisation.pk, None)
    return row


_cache: dict[int, tuple] = {}  # organisation id -> (updated, Adapter)
# Stale adapters this process asked to learn again, and when: asked again after
# RELEARN_AGAIN in case that task was lost (worker killed, broker down).
_relearning: dict[int, float] = {}
RELEARN_AGAIN = 600.0


def adapters_for(org_ids, versions: dict | None = None) -> dict[int, adapt.Adapter]:
    """The adapters of these organisations (those that have one), parsed once per
    version in this process. `versions`: organisation id -> its adapter's `updated`
    (None: no adapter with examples), when the poll already read them
    (mentions.finding.readers); otherwise they are read here."""
    found = {}
    if versions is not None:
        rows = [(pk, versions[pk]) for pk in org_ids if versions.get(pk) is not None]
    else:
        adapters = ToneAdapter.objects.filter(organisation_id__in=list(org_ids), examples__gt=0)
        rows = adapters.values_list("organisation_id", "updated")
    for org_id, updated in rows:
        cached = _cache.get(org_id)
        if cached is None or cached[0] != updated:
            data = ToneAdapter.objects.get(organisation_id=org_id).data
            cached = _cache[org_id] = (updated, adapt.Adapter.from_json(data))
        if cached[1].stale:
            # learnt by an older version (adapt.FORMAT): not applied, learnt again
            if time.monotonic() - _relearning.get(org_id, -RELEARN_AGAIN) >= RELEARN_AGAIN:
                _queue_rebuild(org_id)
            continue
        found[org_id] = cached[1]
    return found


def _queue_rebuild(org_id: int) -> None:
    def queued() -> None:
        # marked once queued: a poll rolled back drops the callback, and asks again
        _relearning[org_id] = time.monotonic()

    relearn.schedule(org_id, then=queued)
