"""Celery tasks: thin wrappers around monitoring.poll."""

from celery import shared_task

from monitoring import poll


@shared_task
def dispatch_due_sources() -> int:
    return poll.dispatch_due_sources()


@shared_task
def poll_sources(leases: list[list[str]]) -> None:
    poll.poll_leased(leases)
