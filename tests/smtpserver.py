"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives.

with LocalSMTP() as smtp:          # or smtp = LocalSMTP().start() ... smtp.stop()
    with override_settings(**smtp.settings): ...   # or: with smtp.overridden(): ...
smtp.inbox.messages                # (recipients, email.message.EmailMessage)
smtp.messages                      # the messages alone
smtp.stop(); smtp.start()          # the mail server down, then up again (same port)
smtp.delay = 3                     # a slow server: the client may die meanwhile
"""

import logging
import socket
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from django.test import override_settings

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Inbox:
    def __init__(self):
        self.messages = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        if self.delay:
            time.sleep(self.delay)  # received, but the answer comes late
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalSMTP:
    """with LocalSMTP() as smtp: ... settings for Django's SMTP backend in smtp.settings."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = None
        self.settings = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }

    def start(self) -> "LocalSMTP":
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def overridden(self):
        return override_settings(**self.settings)

    def env(self) -> dict:
        """For another process: EMAIL_URL pointing at this server."""
        return {"EMAIL_URL": f"smtp://127.0.0.1:{self.port}?timeout=5"}

    @property
    def messages(self) -> list:
        return [message for _, message in self.inbox.messages]

    @property
    def delay(self) -> float:
        return self.inbox.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.inbox.delay = seconds

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()
