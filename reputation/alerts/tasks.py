"""Celery tasks: thin wrappers around the alert functions (scheduled in reputation/celery.py)."""

from celery import shared_task

from reputation.alerts import caps, digests, outbox, scan
from reputation.reports import scheduled


@shared_task
def alerts_tick() -> int:
    """Every minute: turn new negative mentions into notifications, send what is due."""
    scan.scan()
    return outbox.send_due()


@shared_task
def create_digests() -> int:
    written = digests.create_due()
    outbox.send_due()
    return written


@shared_task
def refresh_poll_caps() -> int:
    return caps.refresh()


@shared_task
def create_reports() -> int:
    """Hourly: the monthly reports due (on the 1st, in each organisation's morning)."""
    written = scheduled.create_due()
    outbox.send_due()
    return written
