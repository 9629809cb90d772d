"""The delivery log, redelivery and the test button: every caller asks here.

A redelivery or a test is a new Notification in the outbox, due now: it is sent
by the same code as an alert (claimed once, retried with backoff, logged), and a
task is asked to send it at once rather than at the next minute's tick.
"""

import json

from celery import current_app
from django.db import transaction
from django.utils import timezone

from reputation.alerts.models import Notification, NotificationKind, NotificationStatus
from reputation.webhooks.models import ANSWER_BYTES, WebhookDelivery

SEND_TASK = "reputation.webhooks.tasks.deliver"


def answer_text(body: bytes) -> str:
    """The answer's first bytes as text: binary junk is replaced, never stored raw."""
    text = body[:ANSWER_BYTES].decode("utf-8", errors="replace")
    return text.replace("\x00", "\ufffd")


def record(notification, body: bytes, *, posted=None, error: str = "", duration=0.0):
    """Log one attempt (`posted`: what the receiver answered; None if nothing did)."""
    payload = json.loads(body)
    row = WebhookDelivery.objects.create(
        webhook_id=notification.webhook_id,
        notification=notification,
        message_id=payload.get("id") or f"msg_{notification.code.hex}",
        event=str(payload.get("type") or notification.kind)[:32],
        attempt=max(1, notification.attempts),
        status_code=posted.status if posted else None,
        duration_ms=round(1000 * (posted.elapsed if posted else duration)),
        response=answer_text(posted.body) if posted else "",
        error=error[:2000],
        body=body.decode(),
    )
    WebhookDelivery.objects.trim(notification.webhook)
    return row


def with_log(webhooks) -> list:
    """The webhooks, each with `log`: its kept deliveries, newest first."""
    webhooks = list(webhooks)
    rows = WebhookDelivery.objects.filter(webhook__in=webhooks).defer("body")
    by_hook: dict[int, list] = {}
    for row in rows.order_by("-created", "-pk"):
        by_hook.setdefault(row.webhook_id, []).append(row)
    for hook in webhooks:
        hook.log = by_hook.get(hook.pk, [])
    return webhooks


def _queue(notification) -> Notification:
    def send() -> None:
        if current_app.conf.task_always_eager:
            current_app.loader.import_default_modules()
            current_app.tasks[SEND_TASK].apply((notification.pk,))
        else:
            current_app.send_task(SEND_TASK, args=(notification.pk,))

    transaction.on_commit(send)
    return notification


def redeliver(delivery) -> Notification:
    """The same document again (same delivery id, so a receiver may dedupe); a new
    timestamp and signature are made when it is sent."""
    original = delivery.notification
    notification = Notification.objects.create(
        organisation_id=delivery.webhook.organisation_id,
        webhook=delivery.webhook,
        kind=original.kind if original else NotificationKind.TEST,
        data={
            "body": delivery.body,
            "redelivery_of": delivery.pk,
            # The delivery's row may be trimmed from the log: the notification it sends
            # again is named too, so that the page may say it arrived after all.
            "redelivers": original.pk if original else None,
        },
    )
    if original is not None:
        notification.mentions.set(original.mentions.all())
    return _queue(notification)


def redelivered(organisation) -> set[int]:
    """The organisation's notifications that failed and were then redelivered with
    success: the alerts page no longer counts them as not sent."""
    again = Notification.objects.filter(
        organisation=organisation, status=NotificationStatus.SENT, data__has_key="redelivers"
    )
    return {pk for pk in (n.data.get("redelivers") for n in again.only("data")) if pk}


def send_test(webhook) -> Notification:
    notification = Notification.objects.create(
        organisation_id=webhook.organisation_id,
        webhook=webhook,
        kind=NotificationKind.TEST,
        created=timezone.now(),
    )
    return _queue(notification)
