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
    # A killed or restarted beat neither runs a task twice nor skips one (reputation/beat.py).
    beat_scheduler="reputation.beat:Scheduler",
    beat_sync_every=1,
    # History scans read every item an organisation's sources ever gave: they have
    # their own queue and workers, so that no tenant's edits hold the polls back
    # (issue 17). Workers consume "celery" (polls, alerts) and "history" apart.
    task_routes={"reputation.mentions.tasks.scan_history": {"queue": "history"}},
    beat_schedule={
        "dispatch-due-sources": {
            "task": "monitoring.pipeline.tasks.dispatch_due_sources",
            # Read from the environment directly: Django settings are not loaded yet here.
            "schedule": float(os.getenv("POLL_DISPATCH_EVERY", "60")),
            # A tick not picked up in time is superseded by the next one.
            "options": {"expires": max(1.0, float(os.getenv("POLL_DISPATCH_EVERY", "60")) - 5)},
        },
        # WebSub (monitoring/websub): subscribe to the hubs feeds name, renew leases.
        "websub-maintain": {
            "task": "monitoring.websub.tasks.maintain_subscriptions",
            "schedule": 60.0,
            "options": {"expires": 55.0},
        },
        # Alerts (reputation/alerts): new mentions -> outbox -> channels, every minute.
        "alerts-tick": {
            "task": "reputation.alerts.tasks.alerts_tick",
            "schedule": 60.0,
            "options": {"expires": 55.0},
        },
        "alerts-digests": {
            "task": "reputation.alerts.tasks.create_digests",
            "schedule": 3600.0,
            "options": {"expires": 3000.0},
        },
        "reports-monthly": {
            "task": "reputation.alerts.tasks.create_reports",
            "schedule": 3600.0,
            "options": {"expires": 3000.0},
        },
        # Free diagnostics nobody signed up from are deleted after 24 hours.
        "diagnostic-purge": {
            "task": "reputation.diagnostic.tasks.purge_diagnostics",
            "schedule": 900.0,
            "options": {"expires": 850.0},
        },
        "alerts-poll-caps": {
            "task": "reputation.alerts.tasks.refresh_poll_caps",
            "schedule": 300.0,
            "options": {"expires": 280.0},
        },
        # Retention (reputation/privacy): mentions past each organisation's retention,
        # then items nobody references; nightly is enough for months-long retentions.
        "privacy-retention": {
            "task": "reputation.privacy.tasks.purge_retention",
            "schedule": 86400.0,
            "options": {"expires": 82800.0},
        },
    },
)
app.autodiscover_tasks(
    [
        "monitoring.pipeline",
        "monitoring.websub",
        "reputation.mentions",
        "reputation.alerts",
        "reputation.webhooks",
        "reputation.privacy",
        "reputation.diagnostic",
    ]
)


def enqueue(name: str, *args) -> None:
    """Queue the task registered under `name` (its module path and function name).

    How services start background work: tasks are at the edge (they import services),
    so no service or model imports a tasks module. The task is looked up by name in the
    app's registry (the tasks modules autodiscovery names, loaded on first use) rather
    than sent with app.send_task, so that CELERY_TASK_ALWAYS_EAGER still runs it here.
    """
    if name not in app.tasks:
        # A web process imports no tasks module of its own accord: load the ones
        # autodiscovery names (above) the first time a service queues one.
        app.loader.import_default_modules()
    app.tasks[name].delay(*args)
