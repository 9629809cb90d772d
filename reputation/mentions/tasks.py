"""Celery tasks of mentions: thin wrappers around plain functions.

At the edge: services queue these by name (reputation.celery.enqueue, names in
tone.REBUILD_TASK and history.SCAN_TASK) and never import this module."""

from celery import shared_task

from reputation.mentions import history, tone
from reputation.mentions.models import HistoryScan
from reputation.orgs.models import Organisation


@shared_task(name=history.SCAN_TASK)
def scan_history(scan_id: int) -> int:
    scan = HistoryScan.objects.filter(pk=scan_id).select_related("organisation").first()
    if scan is None:
        return 0
    try:
        return history.run(scan)
    except history.NotYet as wait:
        scan_history.apply_async((scan_id,), countdown=wait.seconds)
        return 0


@shared_task(name=tone.REBUILD_TASK)
def rebuild_tone(organisation_id: int) -> None:
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is not None:
        tone.rebuild(org)
