"""Celery tasks: thin wrappers around monitoring.pipeline.poll."""

from celery import shared_task

from monitoring.pipeline import poll


@shared_task
def dispatch_due_sources() -> int:
    """Beat, every minute: claim due sources in batches, one poll task per batch."""
    tokens = poll.claim_due_batches()
    for token in tokens:
        poll_sources.delay(token)
    return len(tokens)


@shared_task
def poll_sources(token: str) -> None:
    """Poll the sources leased to `token` (a stale token polls nothing)."""
    poll.poll_leased(token)
