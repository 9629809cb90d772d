"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives.

with LocalSMTP() as smtp:          # or smtp = LocalSMTP().start() ... smtp.stop()
    with override_settings(**smtp.settings): ...   # or: with smtp.overridden(): ...
smtp.inbox.messages                # (recipients, email.message.EmailMessage)
smtp.messages                      # the messages alone
smtp.stop(); smtp.start()          # the mail server down, then up again (same port)
smtp.delay = 3                     # a slow server: the client may die meanwhile
smtp.inbox.command_delay = 1       # every command (EHLO, MAIL, RCPT, DATA) answered late
gate = smtp.inbox.hold("EHLO")     # that command waits: gate.arrived, then gate.released.set()
smtp.inbox.hold("GREETING")        # the next connection waits for the server's greeting
"""

import asyncio
import logging
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.test import override_settings

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Gate:
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)


class SlowSMTP(SMTP):
    """aiosmtpd's server, whose greeting (the first line, 220) may be held too: no
    handler hook runs before it."""

    greeted = False

    async def push(self, status):
        if not self.greeted:
            self.greeted = True
            await self.event_handler.answer_late("GREETING")
        await super().push(status)


class SlowController(Controller):
    def factory(self):
        return SlowSMTP(self.handler, **self.SMTP_kwargs)


class Inbox:
    def __init__(self):
        self.messages = []
        self.delay = 0.0
        self.command_delay = 0.0
        self.gates: dict[str, Gate] = {}

    def hold(self, command: str) -> Gate:
        """The next `command` waits for `gate.released` before it is answered."""
        self.gates[command] = gate = Gate()
        return gate

    async def answer_late(self, command: str) -> None:
        if self.command_delay and command != "GREETING":
            await asyncio.sleep(self.command_delay)
        gate = self.gates.pop(command, None)
        if gate is not None:
            gate.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, gate.released.wait, 60)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd's hook name
        await self.answer_late("EHLO")
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd's hook name
        await self.answer_late("MAIL")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook name
        await self.answer_late("RCPT")
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        # Received, but the answer comes late (the client may give up or die meanwhile).
        if self.delay:
            await asyncio.sleep(self.delay)
        await self.answer_late("DATA")
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
        self.controller = SlowController(self.inbox, hostname="127.0.0.1", port=self.port)
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
