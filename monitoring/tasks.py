"""Celery tasks: thin wrappers around monitoring.poll."""

from celery import shared_task

from monitoring import poll


@shared_task
def dispatch_due_sources() -> int:
    return poll.dispatch_due_sources()


@shared_task
def poll_sources(token: str) -> None:
    """Poll the sources leased to `token` (a stale token polls nothing)."""
    poll.poll_leased(token)
