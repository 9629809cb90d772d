"""Scheduled privacy work (beat entry in reputation/celery.py)."""

from celery import shared_task

from reputation.privacy import retention


@shared_task
def purge_retention() -> dict:
    """Delete what each organisation keeps beyond its retention, then the items
    nobody references any more."""
    return retention.purge_all()
