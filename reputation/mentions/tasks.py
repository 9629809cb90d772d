"""Celery tasks of mentions: thin wrappers around plain functions."""

from celery import shared_task

from reputation.mentions import history
from reputation.mentions.models import HistoryScan


@shared_task
def scan_history(scan_id: int) -> int:
    scan = HistoryScan.objects.filter(pk=scan_id).select_related("organisation").first()
    return history.run(scan) if scan else 0
