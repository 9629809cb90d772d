"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), and settings pointing at it.

smtp = LocalSMTP().start()
with smtp.settings():          # Django's SMTP backend sends to it
    ...
smtp.messages                  # email.message.EmailMessage objects received
smtp.stop(); smtp.start()      # the mail server down, then up again (same port)
"""

import email
import email.policy
import logging
import socket
import time
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from django.test import override_settings

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, owner):
        self.owner = owner

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.owner.messages.append(message)
        if self.owner.delay:
            time.sleep(self.owner.delay)  # a slow server: the client may die meanwhile
        return "250 OK"


class LocalSMTP:
    def __init__(self):
        self.port = free_port()
        self.messages: list = []
        self.delay = 0.0
        self.controller: Controller | None = None

    def start(self) -> "LocalSMTP":
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def env(self) -> dict:
        return {"EMAIL_URL": f"smtp://127.0.0.1:{self.port}?timeout=5"}

    @contextmanager
    def settings(self):
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=5,
        ):
            yield self

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()
