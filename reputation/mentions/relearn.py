"""Asking the worker to learn an organisation's tone again, by the task's name
(models and services never import task modules: reputation.celery.enqueue)."""

from django.db import transaction

from reputation.celery import enqueue

REBUILD_TONE = "reputation.mentions.tasks.rebuild_tone"


def schedule(organisation_id: int, then=None) -> None:
    """Learn again once the labels are committed (a rolled back correction asks
    nothing); `then` runs after the task was queued."""

    def queue() -> None:
        enqueue(REBUILD_TONE, organisation_id)
        if then is not None:
            then()

    transaction.on_commit(queue)
