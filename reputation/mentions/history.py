"""History is never lost: mentions in items collected before a name was tracked, or
before the organisation followed a source another organisation already polls.

A scan reads the sightings of the organisation's followed sources, oldest first in
chunks, matches them with the organisation's names only, and records what it finds
as history: such mentions fill the charts but never alert. The web starts scans as
Celery tasks and shows their progress (HistoryScan rows); `track` and `addsource`
run them before they return.
"""

import logging

from django.db import transaction
from django.utils import timezone

from monitoring.models import Sighting
from reputation.celery import enqueue
from reputation.mentions import tone
from reputation.mentions.finder import (
    Languages,
    PendingMentions,
    _unrecorded,
    build_mention,
    compile_names,
    find,
    save_mentions,
    score_items,
)
from reputation.mentions.models import HistoryScan
from reputation.names.models import TrackedName
from reputation.sources.models import Follow

log = logging.getLogger(__name__)

CHUNK = 500
# Scans started from the web run in a worker (reputation/mentions/tasks.py).
SCAN_TASK = "reputation.mentions.tasks.scan_history"


def start(organisation, *, tracked=None, source=None, run_now: bool = False) -> HistoryScan:
    """Record a scan and run it: now (commands), or in a worker once committed (web)."""
    scan = HistoryScan.objects.create(
        organisation=organisation, tracked_name=tracked, source=source
    )
    if run_now:
        run(scan)
        scan.refresh_from_db()
    else:
        transaction.on_commit(lambda: enqueue(SCAN_TASK, scan.pk))
    return scan


def run(scan: HistoryScan) -> int:
    """Scan the history; returns the mentions found. Safe to run twice (unique
    mentions), and a scan claimed by another worker is left alone."""
    claimed = HistoryScan.objects.filter(pk=scan.pk, state=HistoryScan.PENDING).update(
        state=HistoryScan.RUNNING, started=timezone.now()
    )
    if not claimed:
        return 0
    try:
        found = _scan(scan)
    except Exception:
        log.exception("history scan %s failed", scan.pk)
        HistoryScan.objects.filter(pk=scan.pk).update(
            state=HistoryScan.FAILED, finished=timezone.now()
        )
        raise
    HistoryScan.objects.filter(pk=scan.pk).update(
        state=HistoryScan.DONE, finished=timezone.now(), found=found
    )
    return found


def _scan(scan: HistoryScan) -> int:
    org = scan.organisation
    follows = Follow.objects.filter(organisation=org)
    if scan.source_id:
        follows = follows.filter(source_id=scan.source_id)
    readers = {f.source_id: {org.pk: None} for f in follows}  # None: history, never alerts
    names = TrackedName.objects.filter(organisation=org, active=True)
    if scan.tracked_name_id:
        names = names.filter(pk=scan.tracked_name_id)
    comp = compile_names(names.prefetch_related("sources"))
    if not readers or not comp.owners:
        return 0
    adapter = tone.adapters_for([org.pk]).get(org.pk)
    sightings = Sighting.objects.filter(source_id__in=list(readers))
    HistoryScan.objects.filter(pk=scan.pk).update(total=sightings.count())
    found, done, last = 0, 0, 0
    while True:
        chunk = list(
            sightings.filter(pk__gt=last).select_related("item", "source").order_by("pk")[:CHUNK]
        )
        if not chunk:
            return found
        last = chunk[-1].pk
        langs = Languages()
        mentions = [
            build_mention(comp, org_id, match, s, doc, s.source, None, langs, others, adapter)
            for org_id, match, s, doc, others in find(comp, chunk, readers, langs, {org.pk})
        ]
        mentions = _unrecorded(mentions, set())
        items = score_items([m.item for m in mentions], langs, [s.item for s in chunk])
        found += save_mentions(PendingMentions(mentions, items))
        done += len(chunk)
        HistoryScan.objects.filter(pk=scan.pk).update(done=done, found=found)
