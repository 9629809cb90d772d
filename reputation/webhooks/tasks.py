"""Celery task: send one outbox row now (a redelivery or a test asked for by an admin)."""

from celery import shared_task

from reputation.alerts import outbox


@shared_task
def deliver(notification_id: int) -> bool:
    return outbox.send_one(notification_id)
