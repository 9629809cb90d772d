"""Celery task: thin wrapper around monitoring.websub.service."""

from celery import shared_task

from monitoring.websub import service


@shared_task
def maintain_subscriptions() -> dict:
    """Beat, every minute: subscribe, renew, retry, unsubscribe (service.maintain)."""
    return service.maintain()
