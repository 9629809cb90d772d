"""Sending the outbox: each Notification handed to its channel at most once.

A sender claims a due row with a conditional UPDATE (PENDING and due, or CLAIMED
by a sender whose lease ran out), builds the message and reaches the server (the
mail server's greeting; nothing of the message leaves yet); then a second
conditional UPDATE moves it from CLAIMED to SENDING just before the message is
handed over. So:

- two senders, or a task run twice, never both pass the claim;
- a sender that dies before SENDING loses nothing, even while a mail server is slow
  to greet it: the row is claimed again once its lease expires;
- a sender that dies while SENDING may have delivered the message: the row is
  marked FAILED with the reason rather than sent again (at most once); a database
  restart once it has left does not count as dying: recording it is tried again
  (durable.py), so it shows as sent;
- a server that goes silent after receiving the message (MaybeSent: a mail server
  slower to confirm than EMAIL_TIMEOUT) may have kept it: FAILED, never sent again;
- a channel that is down (TransportError) puts the row back to PENDING with an
  exponential backoff, until ALERT_MAX_ATTEMPTS; failures show on the alerts page.
  A row sent after failures keeps its last error: the page says it came late, and why.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from reputation.alerts import durable, transports
from reputation.alerts.models import Notification, NotificationKind, NotificationStatus

log = logging.getLogger(__name__)
S = NotificationStatus
INTERRUPTED = gettext_noop(
    "Interrupted while being sent: it may have arrived, so it was not sent again."
)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4... minutes, at most an hour: a mail server back within the hour is
    caught quickly, a long outage costs one try an hour."""
    return timedelta(seconds=min(3600, 60 * 2 ** max(0, attempts - 1)))


def give_up_interrupted(now) -> int:
    """Rows left SENDING by a dead sender: shown as failed, never sent twice."""
    return Notification.objects.interrupted(now).update(status=S.FAILED, error=INTERRUPTED)


def due(now, limit: int) -> list[tuple[int, int | None]]:
    """(pk, webhook id or None for an email) of the due rows, the longest due first."""
    return list(Notification.objects.due(now).values_list("pk", "webhook_id")[:limit])


SENT, SLOW, NOT_SENT = "sent", "slow", "not sent"


def send_due(now=None, limit: int = 500) -> int:
    """Send every due notification; returns how many were sent.

    Rows are sent one after the other: a destination that timed out (a webhook
    receiver that hangs, a mail server that never greets) would cost a timeout for
    each of its rows, holding every other organisation's alerts for as long. Once
    one of its rows timed out, its other rows wait for the next run (no attempt is
    counted against them)."""
    now = now or timezone.now()
    give_up_interrupted(now)
    sent, hanging = 0, set()
    for pk, webhook_id in due(now, limit):
        if webhook_id in hanging:  # None: the mail server
            continue
        outcome = _send(pk, now)
        sent += outcome == SENT
        if outcome == SLOW:
            hanging.add(webhook_id)
    return sent


def send_one(notification_id: int, now=None) -> bool:
    return _send(notification_id, now) == SENT


def _send(notification_id: int, now=None) -> str:
    now = now or timezone.now()
    token = Notification.objects.claim(notification_id, now)
    if token is None:
        return NOT_SENT
    notification = Notification.objects.select_related(
        "organisation", "preference__membership__user", "webhook"
    ).get(pk=notification_id)
    transport = transports.for_notification(notification)
    try:
        prepared = transport.prepare(notification, timezone.now())
    except Exception as exc:  # a bug in a template must not block the outbox
        log.exception("preparing notification %s failed", notification.code)
        _retry(notification, token, f"{exc.__class__.__name__}: {exc}", now)
        return NOT_SENT
    try:
        transport.open()
        if not Notification.objects.held(notification_id, token).update(status=S.SENDING):
            return NOT_SENT  # our lease ran out meanwhile: another sender has it
        transport.send(prepared)
    except transports.TransportError as exc:
        # Surely not delivered: lost to a database restart, the row would be given
        # up as "may have arrived" instead of tried again.
        error = str(exc)
        durable.write(lambda: _retry(notification, token, error, now))
        return SLOW if exc.timed_out else NOT_SENT
    except transports.MaybeSent as exc:
        error = str(exc)
        given_up = Notification.objects.filter(pk=notification_id, claim_token=token)
        durable.write(lambda: given_up.update(status=S.FAILED, error=error))
        return SLOW
    finally:
        transport.close()
    sent = timezone.now()

    def record() -> None:
        Notification.objects.filter(pk=notification_id, claim_token=token).update(
            status=S.SENT, sent_at=sent, delay=_delay(notification, sent)
        )

    durable.write(record)  # it left: a database restart must not lose that
    return SENT


def _delay(notification, sent) -> float | None:
    """Publication of the oldest mention -> sending, for instant alerts."""
    if notification.kind != NotificationKind.INSTANT:
        return None
    oldest = notification.mentions.order_by("published").values_list("published", flat=True)
    first = oldest.first()
    return max(0.0, (sent - first).total_seconds()) if first else None


def _retry(notification, token, error: str, now) -> None:
    attempts = notification.attempts
    status = S.FAILED if attempts >= settings.ALERT_MAX_ATTEMPTS else S.PENDING
    Notification.objects.filter(pk=notification.pk, claim_token=token).update(
        status=status,
        error=error[:2000],
        next_attempt=now + backoff(attempts),
        claim_token=None,
        claimed_until=None,
    )
