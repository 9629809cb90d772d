"""Channels: one small class each, behind one interface.

`prepare(notification, now)` builds the message (no network); `send(prepared)`
hands it over and raises TransportError when it was surely not delivered, so the
outbox may try again later.
"""

import asyncio
import smtplib

import httpcore
import httpx
from django.conf import settings
from django.core.mail import get_connection
from django.utils import translation

from monitoring.net import guard as netguard
from reputation.alerts import content, emails
from reputation.reports import monthly


class TransportError(Exception):
    pass


class Email:
    def prepare(self, notification, now):
        pref = notification.preference
        with translation.override(pref.language):  # labels computed in the context too
            ctx = content.context(notification, now)
        # Lets people (and mail filters) sort alerts from digests and reports.
        headers = {"X-Alert-Kind": notification.kind}
        if "unsubscribe_url" in ctx:
            # RFC 8058: mail clients show their own one-click unsubscribe button.
            headers["List-Unsubscribe"] = f"<{ctx['unsubscribe_url']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = emails.build(
            content.TEMPLATES[notification.kind],
            ctx,
            pref.membership.user.email,
            pref.language,
            headers,
        )
        if "report" in ctx:
            name, pdf = monthly.pdf_attachment(ctx["report"], pref.language)
            message.attach(name, pdf, "application/pdf")
        return message

    def send(self, message) -> None:
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([message])
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"mail server: {exc}") from exc


class Webhook:
    """JSON with a `text` field: what Slack and Mattermost incoming webhooks read."""

    def prepare(self, notification, now):
        payload = {
            "text": content.webhook_text(notification, now),
            "kind": notification.kind,
            "organisation": notification.organisation.name,
            "notification": str(notification.code),
        }
        return notification.webhook.url, payload

    def send(self, prepared) -> None:
        url, payload = prepared
        try:
            status = asyncio.run(post(url, payload))
        except netguard.Refused as exc:
            raise TransportError(f"address refused: {exc.message}") from exc
        except (httpx.HTTPError, netguard.DNSFailure, OSError) as exc:
            raise TransportError(f"webhook: {exc.__class__.__name__} {exc}") from exc
        if status >= 300:
            raise TransportError(f"webhook answered {status}")


async def post(url: str, payload: dict) -> int:
    """POST through the fetcher's address checks: webhook URLs are typed by users."""
    allow = settings.FETCH_ALLOW_PRIVATE_ADDRESSES
    netguard.check_url(url, allow_private=allow)
    transport = httpx.AsyncHTTPTransport(trust_env=False, retries=0)
    # As monitoring.fetch does: httpx takes no network backend, so its pool is
    # replaced by one that connects only to addresses SafeBackend checked.
    transport._pool = httpcore.AsyncConnectionPool(
        network_backend=netguard.SafeBackend(allow_private=allow)
    )
    timeout = httpx.Timeout(settings.FETCH_CONNECT_TIMEOUT, read=settings.FETCH_READ_TIMEOUT)
    async with httpx.AsyncClient(
        transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
    ) as client:
        response = await client.post(url, json=payload)
        return response.status_code


def for_notification(notification):
    return Webhook() if notification.webhook_id else Email()
