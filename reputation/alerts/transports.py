"""Channels: one base class, one small class per channel.

`prepare(notification, now)` builds the message (no network); `open()` reaches the
server without handing anything over (the mail server's greeting); `send(prepared)`
hands it over. Both raise TransportError when it was surely not delivered, so the
outbox may try again later; `close()` always follows `open()`.

Webhooks send through the collector's guarded client (monitoring.net.fetch.post_json):
webhook addresses are typed by users, so the fetcher's address checks hold for them
too. Their text carries what others wrote (titles, names, addresses): each channel
escapes it by the rules of the application that reads it, so that nothing in it
becomes a mention (`<!channel>`, `@all`) or a link of the writer's choosing.
"""

import contextlib
import json
import logging
import smtplib
import time
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.mail import get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from monitoring.net import fetch
from reputation import emails
from reputation.alerts import content, durable
from reputation.alerts.models import Notification, NotificationKind, WebhookKind
from reputation.reports import monthly
from reputation.webhooks import deliveries, payload, signing
from reputation.webhooks.models import ANSWER_BYTES

log = logging.getLogger(__name__)

# Stored on the notification and translated when shown (the alerts page): what the
# person reading it can understand; the technical detail goes to the log.
MAIL_UNREACHABLE = gettext_noop(
    "The mail server could not be reached; it is tried again automatically."
)
MAIL_REFUSED = gettext_noop("The mail server refused the message.")
# A receiver that hangs or is down: the notification's error, translated when shown;
# the delivery log keeps the technical detail.
WEBHOOK_TIMEOUT = gettext_noop(
    "The webhook's server did not answer in time; it is tried again automatically."
)
WEBHOOK_UNREACHABLE = gettext_noop(
    "The webhook's server could not be reached; it is tried again automatically."
)
PLAIN_WEBHOOK_ERRORS = {"timeout": WEBHOOK_TIMEOUT, "network": WEBHOOK_UNREACHABLE}
MAIL_UNCONFIRMED = gettext_noop(
    "The mail server did not confirm in time that it received the message: it may have "
    "arrived, so it was not sent again."
)


class TransportError(Exception):
    """Surely not delivered: the outbox may try again. `timed_out`: the server kept
    us waiting until the timeout (its other messages would wait as long)."""

    def __init__(self, message: str, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


def _timed_out(exc: BaseException) -> bool:
    # smtplib turns a timeout awaiting an answer into SMTPServerDisconnected.
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


class MaybeSent(Exception):  # noqa: N818 - a state, not a failure: it may have arrived
    """The message may have been delivered (the server went silent after receiving
    it): the outbox must not send it again."""


class Transport:
    def prepare(self, notification, now):
        raise NotImplementedError

    def open(self) -> None:
        """What may hang or fail before the message leaves. A webhook's POST is one
        step (its connection is opened by the request itself): nothing here."""

    def send(self, prepared) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class Email(Transport):
    connection = None
    # Set once the message's content starts to leave (SMTP DATA): from then on a
    # timeout or a dropped connection cannot tell whether the server kept it.
    handed_over = False

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
            pref.membership.user.email,
            ctx,
            pref.language,
            headers,
        )
        if "report" in ctx:
            name, pdf = monthly.pdf_attachment(ctx["report"], pref.language)
            message.attach(name, pdf, "application/pdf")
        return message

    def open(self) -> None:
        # Connected and greeted (EHLO, STARTTLS, login) before the outbox marks the row
        # as handed over: a sender dying while a server is slow to greet has sent
        # nothing, so its row is claimed again instead of given up.
        with self._errors():
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        self._watch_data()

    def _watch_data(self) -> None:
        """Note when smtplib starts the DATA command (the message's content follows)."""
        smtp = getattr(self.connection, "connection", None)
        if not isinstance(smtp, smtplib.SMTP):
            return  # console, locmem: nothing can hang half-way
        data = smtp.data

        def watched(msg):
            self.handed_over = True
            return data(msg)

        smtp.data = watched

    def send(self, message) -> None:
        with self._errors():
            if self.connection is None:
                self.open()
            self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # sent already; a QUIT lost is no error
                self.connection.close()
            self.connection = None

    @contextlib.contextmanager
    def _errors(self):
        try:
            with self._unconfirmed():
                yield
        except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected) as exc:
            log.warning("mail server unreachable: %s", exc)
            raise TransportError(MAIL_UNREACHABLE, _timed_out(exc)) from exc
        except smtplib.SMTPException as exc:  # before OSError: it is one
            log.warning("mail server refused a message: %s", exc)
            raise TransportError(MAIL_REFUSED) from exc
        except OSError as exc:  # refused connection, timeout, DNS
            log.warning("mail server unreachable: %s", exc)
            raise TransportError(MAIL_UNREACHABLE, _timed_out(exc)) from exc

    @contextlib.contextmanager
    def _unconfirmed(self):
        """smtplib reports a timeout awaiting an answer as a disconnection. Once the
        content left, the server may have queued the message: a slow server answering
        "250" after our timeout would get it again at the next attempt. An answer that
        refuses it (SMTPResponseException) is sure, and may be tried again."""
        try:
            yield
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            if not self.handed_over or isinstance(exc, smtplib.SMTPResponseException):
                raise
            log.warning("mail server silent after the message was sent: %s", exc)
            raise MaybeSent(MAIL_UNCONFIRMED) from exc


@dataclass
class Outgoing:
    """A webhook delivery ready to go: the exact bytes, and the headers (signature)."""

    notification: Notification
    url: str
    body: bytes
    headers: dict = field(default_factory=dict)


class Webhook(Transport):
    """A JSON document posted to the webhook's address, its attempts logged
    (reputation.webhooks). The document is frozen on the notification when first
    built, so that retries and redeliveries send the same one.

    This class writes what Slack and Mattermost incoming webhooks read (a `text`
    field); subclasses say how a piece of text and a link are written in their markup."""

    def escape(self, text: str) -> str:
        raise NotImplementedError

    def link(self, url: str, label: str) -> str:
        raise NotImplementedError

    def field(self, text) -> str:
        """A field written by others: one line (a line break would start a heading or
        a list in Markdown), escaped."""
        return self.escape(" ".join(str(text).split()))

    def text(self, notification, now) -> str:
        ctx = content.context(notification, now)
        e = self.field
        with translation.override(settings.LANGUAGE_CODE):
            if notification.kind == NotificationKind.TEST:
                head = _("%(org)s: a test message, this webhook works") % {
                    "org": e(ctx["org"].name)
                }
            elif notification.kind == NotificationKind.SPIKE:
                head = _(
                    "%(org)s: %(count)d negative mentions in 24 h (usually %(expected)s a day)"
                ) % {
                    "org": e(ctx["org"].name),
                    "count": ctx["data"].get("count", 0),
                    "expected": ctx["data"].get("expected", 0),
                }
            else:
                head = _("%(org)s: %(count)d new negative mention(s)") % {
                    "org": e(ctx["org"].name),
                    "count": len(ctx.get("mentions", [])),
                }
            lines = [f"*{head}*"]
            for row in ctx.get("mentions", [])[:10]:
                link = self.link(row["url"], row["title"]) if row["url"] else e(row["title"])
                lines.append(f"• {link} — {e(row['name'])} ({e(row['source'])}, {row['delay']})")
            lines.append(self.link(ctx["org_url"], ctx["org_url"]))
        return "\n".join(lines)

    def payload(self, notification, now) -> dict:
        return {
            "text": self.text(notification, now),
            "kind": notification.kind,
            "organisation": notification.organisation.name,
            "notification": str(notification.code),
        }

    def headers(self, notification, document: dict, body: bytes) -> dict:
        return {}

    def prepare(self, notification, now):
        data = notification.data or {}
        # Frozen as text, not as a JSON object: PostgreSQL's jsonb reorders keys, and a
        # retry or redelivery must send the very bytes of the first attempt.
        text = data.get("body")
        if text is None:
            document = self.payload(notification, now)
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
            notification.data = {**data, "body": text}
            Notification.objects.filter(pk=notification.pk).update(data=notification.data)
        document = json.loads(text)
        body = text.encode()
        headers = self.headers(notification, document, body)
        return Outgoing(notification, notification.webhook.url, body, headers)

    def send(self, out) -> None:
        started = time.monotonic()
        try:
            posted = fetch.post_json(out.url, out.body, headers=out.headers, keep=ANSWER_BYTES)
        except fetch.FetchError as exc:
            refused = exc.code in ("ssrf", "invalid_url")
            error = f"{'address refused' if refused else 'webhook'}: {exc.message}"
            duration = time.monotonic() - started
            durable.write(
                lambda: deliveries.record(
                    out.notification, out.body, error=error, duration=duration
                )
            )
            plain = PLAIN_WEBHOOK_ERRORS.get(exc.code, error)
            raise TransportError(plain, timed_out=exc.code == "timeout") from exc
        error = f"webhook answered {posted.status}" if posted.status >= 300 else ""
        # Sent: what the receiver answered is logged even across a database restart.
        durable.write(
            lambda: deliveries.record(out.notification, out.body, posted=posted, error=error)
        )
        if error:
            raise TransportError(error)


class Signed(Webhook):
    """The versioned JSON document of reputation.webhooks.payload, signed with the
    webhook's secret (docs/webhooks.md)."""

    def payload(self, notification, now) -> dict:
        return payload.build(notification, now)

    def headers(self, notification, document: dict, body: bytes) -> dict:
        # The real clock, not the outbox's `now`: the receiver checks it against its own.
        message_id = document.get("id") or payload.message_id(notification)
        return signing.headers(notification.webhook.secret, message_id, int(time.time()), body)


def _link_target(url: str) -> str:
    """An address as a link target: characters that would end the link are
    percent-encoded (`|`, `<`, `>`, spaces, brackets); the address stays the same one."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


class Slack(Webhook):
    # https://api.slack.com/reference/surfaces/formatting#escaping: only &, < and >
    # are control characters of mrkdwn; `<!channel>` and `<url|label>` need them.
    def escape(self, text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def link(self, url: str, label: str) -> str:
        target = _link_target(url).replace("&", "&amp;")
        # The label ends at `>`, escaped above; a `|` in it is shown as is.
        return f"<{target}|{self.field(label)}>"


# Markdown's punctuation that starts or ends emphasis, links, code or tables. Fields
# are never at the start of a line, so list and heading markers need nothing.
MARKDOWN_SPECIAL = set("\\`*_{}[]()#|~")


class Mattermost(Webhook):
    # Mattermost renders Markdown, turns Slack-style `<url|label>` into links and
    # `<!channel>` into @channel, and notifies on @channel, @all and @here written
    # plainly: every Markdown character is backslash-escaped, `<`, `>` and `&` become
    # entities, and a word joiner after `@` keeps a mention from being one.
    def escape(self, text: str) -> str:
        out = []
        for ch in text:
            if ch == "&":
                out.append("&amp;")
            elif ch == "<":
                out.append("&lt;")
            elif ch == ">":
                out.append("&gt;")
            elif ch == "@":
                out.append("@\u2060")
            elif ch in MARKDOWN_SPECIAL:
                out.append("\\" + ch)
            else:
                out.append(ch)
        return "".join(out)

    def link(self, url: str, label: str) -> str:
        # Parentheses would end a Markdown link target: percent-encoded too.
        target = _link_target(url).replace("(", "%28").replace(")", "%29")
        return f"[{self.field(label)}]({target})"


CHANNELS = {
    WebhookKind.SLACK: Slack,
    WebhookKind.MATTERMOST: Mattermost,
    WebhookKind.JSON: Signed,
}


def for_notification(notification) -> Transport:
    if not notification.webhook_id:
        return Email()
    return CHANNELS.get(notification.webhook.kind, Slack)()
