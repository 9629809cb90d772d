"""History is never lost: mentions in items collected before a name was tracked, or
before the organisation followed a source another organisation already polls.

A scan reads the sightings of the organisation's followed sources, oldest first in
chunks, matches them with the organisation's names only, and records what it finds
as history: such mentions fill the charts but never alert. The web starts scans as
Celery tasks and shows their progress (HistoryScan rows); `track` and `addsource`
run them before they return.

Scans are bounded (issue 17): they run on their own queue ("history", see
reputation/celery.py), so polls never wait behind them; one scan of a name waits at
a time; an organisation starts at most HISTORY_SCANS_PER_HOUR per hour.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone

from monitoring.models import Sighting
from reputation.celery import enqueue
from reputation.mentions import tone
from reputation.mentions.finding.building import build_mention
from reputation.mentions.finding.languages import Languages
from reputation.mentions.finding.matchers import compile_names
from reputation.mentions.finding.matching import find
from reputation.mentions.finding.saving import PendingMentions, save_mentions, unrecorded
from reputation.mentions.models import HistoryScan
from reputation.names.models import TrackedName
from reputation.security.limits import lock
from reputation.sources.models import Follow

log = logging.getLogger(__name__)

CHUNK = 500
# Scans started from the web run in a worker (reputation/mentions/tasks.py).
SCAN_TASK = "reputation.mentions.tasks.scan_history"
# A scan that must wait tries again after this long at least (seconds).
RETRY_SECONDS = 60


class NotYet(Exception):
    """The scan must wait: its organisation's hourly budget is spent, or the same
    search is running. `seconds`: when to try again."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def start(organisation, *, tracked=None, source=None, run_now: bool = False) -> HistoryScan:
    """Record a scan and run it: now (commands), or in a worker once committed (web).

    One waiting scan per name (or source) at a time: a newer edit while one waits
    adds nothing, since a scan reads the names when it runs (60 saves once queued
    60 full scans and held the polls back 2 minutes)."""
    if run_now:
        scan = HistoryScan.objects.create(
            organisation=organisation, tracked_name=tracked, source=source
        )
        run(scan, budget=False)
        scan.refresh_from_db()
        return scan
    with transaction.atomic():
        lock(organisation)  # two saves at once must not both find no waiting scan
        waiting = _same(organisation.pk, tracked, source).filter(state=HistoryScan.PENDING)
        scan = waiting.order_by("-pk").first()
        if scan is not None:
            return scan
        scan = HistoryScan.objects.create(
            organisation=organisation, tracked_name=tracked, source=source
        )
    transaction.on_commit(lambda: enqueue(SCAN_TASK, scan.pk))
    return scan


def _same(org_id: int, tracked, source):
    """The scans that search the same thing (same name, same source)."""
    return HistoryScan.objects.filter(
        organisation_id=org_id,
        tracked_name_id=getattr(tracked, "pk", tracked),
        source_id=getattr(source, "pk", source),
    )


def run(scan: HistoryScan, budget: bool = True) -> int:
    """Scan the history; returns the mentions found. Safe to run twice (unique
    mentions), and a scan claimed by another worker is left alone, as is one a newer
    scan of the same thing replaced. NotYet when it must wait (`budget`: the
    organisation's HISTORY_SCANS_PER_HOUR counts; commands run theirs at once)."""
    same = _same(scan.organisation_id, scan.tracked_name_id, scan.source_id)
    if same.filter(state=HistoryScan.PENDING, pk__gt=scan.pk).exists():
        HistoryScan.objects.filter(pk=scan.pk, state=HistoryScan.PENDING).update(
            state=HistoryScan.REPLACED, finished=timezone.now()
        )
        return 0
    if budget:
        _check_budget(scan.organisation_id)
    busy = same.filter(state=HistoryScan.RUNNING)
    claimed = (
        HistoryScan.objects.filter(pk=scan.pk, state=HistoryScan.PENDING)
        .exclude(Exists(busy))
        .update(state=HistoryScan.RUNNING, started=timezone.now())
    )
    if not claimed:
        still_waiting = HistoryScan.objects.filter(pk=scan.pk, state=HistoryScan.PENDING)
        if busy.exists() and still_waiting.exists():
            raise NotYet(RETRY_SECONDS)  # the same search is running: after it
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


def _check_budget(org_id: int) -> None:
    """NotYet when the organisation started HISTORY_SCANS_PER_HOUR scans this hour."""
    hour_ago = timezone.now() - timedelta(hours=1)
    started = HistoryScan.objects.filter(organisation_id=org_id, started__gte=hour_ago)
    if started.count() >= settings.HISTORY_SCANS_PER_HOUR:
        first = started.order_by("started").values_list("started", flat=True).first()
        raise NotYet(max(RETRY_SECONDS, (first - hour_ago).total_seconds()))


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
        mentions = unrecorded(mentions, set())
        found += save_mentions(PendingMentions(mentions, langs.detected([s.item for s in chunk])))
        done += len(chunk)
        HistoryScan.objects.filter(pk=scan.pk).update(done=done, found=found)
