"""Asking the worker to learn an organisation's tone again, by the task's name.

Models and services never import task modules (tasks sit at the edge and call
services): they enqueue by name. Celery's send_task ignores `task_always_eager`,
so in eager mode (tests, a development machine without a worker) the registered
task is run in process instead, as `.delay()` would.
"""

from celery import current_app
from django.db import transaction

REBUILD_TONE = "reputation.mentions.tasks.rebuild_tone"


def enqueue(name: str, *args) -> None:
    if current_app.conf.task_always_eager:
        # the worker's task modules, discovered as a worker would (once)
        current_app.loader.import_default_modules()
        current_app.tasks[name].apply(args)
    else:
        current_app.send_task(name, args=args)


def schedule(organisation_id: int, then=None) -> None:
    """Learn again once the labels are committed (a rolled back correction asks
    nothing); `then` runs after the task was queued."""

    def queue() -> None:
        enqueue(REBUILD_TONE, organisation_id)
        if then is not None:
            then()

    transaction.on_commit(queue)
