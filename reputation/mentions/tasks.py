"""Celery tasks of mentions: thin wrappers around plain functions."""

from celery import shared_task

from reputation.mentions import history
from reputation.mentions.models import HistoryScan


@shared_task
def scan_history(scan_id: int) -> int:
    scan = HistoryScan.objects.filter(pk=scan_id).select_related("organisation").first()
    return history.run(scan) if scan else 0


@shared_task
def rebuild_tone(organisation_id: int) -> None:
    from reputation.mentions import tone
    from reputation.orgs.models import Organisation

    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is not None:
        tone.rebuild(org)
