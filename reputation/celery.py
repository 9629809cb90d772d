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
            "task": "monitoring.pipeline.tasks.dispatch_due_sources",
            # Read from the environment directly: Django settings are not loaded yet here.
            "schedule": float(os.getenv("POLL_DISPATCH_EVERY", "60")),
            # A tick not picked up in time is superseded by the next one.
            "options": {"expires": max(1.0, float(os.getenv("POLL_DISPATCH_EVERY", "60")) - 5)},
        },
    },
)
app.autodiscover_tasks(["monitoring.pipeline", "reputation.mentions"])
