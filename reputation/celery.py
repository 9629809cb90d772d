"""The Celery app: worker and beat share Django's settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reputation.settings")

app = Celery("reputation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A worker that dies mid-poll must not lose the poll: the message is acknowledged
    # only once the task returns, and requeued if the worker process is lost.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        "dispatch-due-sources": {
            "task": "monitoring.tasks.dispatch_due_sources",
            "schedule": 60.0,
            # A tick not picked up within a minute is superseded by the next one.
            "options": {"expires": 55},
        },
    },
)
app.autodiscover_tasks(["monitoring"])
