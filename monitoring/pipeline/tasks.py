"""Celery tasks: thin wrappers around monitoring.pipeline.poll."""

from celery import shared_task
from django.conf import settings

from monitoring.pipeline import poll


@shared_task
def dispatch_due_sources() -> int:
    """Beat, every minute: claim due sources in batches, one poll task per batch.

    A tick claims POLL_DISPATCH_LIMIT sources at most. When it claimed that many (more
    are due), it queues a dispatch behind its batches: the workers run it as they
    reach the last of them, so the queue is never empty while sources are due. Left to
    beat, the queue stood empty until the next tick (half a minute on average, up to
    one), since the ticks sent meanwhile waited behind the batches and expired.
    """
    tokens, more = poll.claim_due()
    for token in tokens:
        poll_sources.delay(token)
    if more:
        dispatch_due_sources.delay()
    return len(tokens)


@shared_task(bind=True)
def poll_sources(self, token: str) -> None:
    """Poll the sources leased to `token` (a stale token polls nothing).

    When the database goes away mid-poll (a restart, a failover), the task tries again
    with the same token a little later: the sources it still holds are polled then,
    those it handed back are claimed by the next dispatch, and once the lease has
    ended the token polls nothing (the dispatch has them). Celery closes the broken
    connection after the task, so the retry starts on a fresh one.
    """
    try:
        poll.poll_leased(token)
    except poll.DATABASE_DOWN as exc:
        delay = settings.POLL_DATABASE_RETRY_SECONDS
        retries = max(1, settings.POLL_LEASE_SECONDS // delay)
        raise self.retry(exc=exc, countdown=delay, max_retries=retries) from exc
