"""A slow mail server (issue 22): each command answered late, slower than the timeout
before the message, or confirming a received message after the timeout.

A real SMTP server on 127.0.0.1 (tests/smtpserver.py) waits before each answer;
EMAIL_TIMEOUT is short so that the test waits seconds, not minutes; the calendar is
simulated (beat's alerts-tick every minute). What must hold: alerts arrive exactly
once while the server is slow but within the timeout; a server slower than the
timeout before the message costs one timeout a minute (the other emails wait for
the next minute), and each alert is sent once on a later attempt; a server that
received the message but confirms it too late never gets it twice, and the alerts
page says it may have arrived. Meanwhile another organisation's webhook is
delivered in the same minute.
"""

import html
import time
from collections import Counter
from datetime import timedelta

from django.utils import translation

from reputation.alerts import tasks, transports
from reputation.alerts.models import Notification, NotificationStatus, Webhook, WebhookKind
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.faults.clock import Clock
from tests.httpserver import LocalServer
from tests.smtpserver import LocalSMTP

TIMEOUT = 1  # EMAIL_TIMEOUT, seconds: each SMTP answer awaited at most that long
COMMANDS = 5  # a sending's answers awaited: greeting, EHLO, MAIL, RCPT, DATA


class SlowMailServerTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        self.enterContext(self.smtp.overridden())
        self.enterContext(self.settings(EMAIL_TIMEOUT=TIMEOUT))
        self.clock = Clock()
        self.enterContext(self.clock.running())
        # The other organisation's alerts go to a webhook: it must not wait for the mail.
        self.receiver = LocalServer()
        self.receiver.start()
        self.addCleanup(self.receiver.stop)
        self.hooked = []
        self.receiver.route("/hook", handler=self.receive)
        Webhook.objects.create(
            organisation=self.other_org, url=self.receiver.url("/hook"), kind=WebhookKind.JSON
        )
        # Older than ALERT_GROUP_SECONDS: the first tick alerts about them.
        created = self.clock.now() - timedelta(minutes=2)
        for org, label in ((self.org, "Boulangerie Dupont"), (self.other_org, "Charlie Inc")):
            mention(org, followed_source(org), tracked(org, label), created=created)

    def receive(self, req):
        req.rfile.read(int(req.headers.get("Content-Length", "0")))
        self.hooked.append(req.headers["webhook-id"])
        return 200, {"Content-Type": "text/plain"}, b"ok"

    def tick(self) -> float:
        """What beat's alerts-tick does every minute, then a minute passes; returns
        how long the tick took, in seconds."""
        started = time.monotonic()
        tasks.alerts_tick()
        self.clock.advance(minutes=1)
        return time.monotonic() - started

    def emails(self) -> Counter:
        return Counter(str(m["To"]) for m in self.smtp.messages)

    def page(self, language="en") -> str:
        self.login(self.alice)
        answer = self.client.get(f"/org/{self.org.code}/alerts/", HTTP_ACCEPT_LANGUAGE=language)
        translation.deactivate()  # the test client leaves the request's language active
        return html.unescape(answer.content.decode())

    def test_it_sends_each_alert_once_through_a_server_slow_to_answer_every_command(self):
        self.smtp.inbox.command_delay = 0.4  # slow, within the timeout
        took = self.tick()
        self.assertEqual(self.emails(), Counter({self.alice.email: 1, self.charlie.email: 1}))
        self.assertEqual(len(self.hooked), 1)
        for _ in range(5):
            self.tick()
        self.assertEqual(len(self.smtp.messages), 2)  # never again
        self.assertEqual(len(self.hooked), 1)
        rows = Notification.objects.all()
        self.assertEqual({(r.status, r.attempts, r.error) for r in rows}, {("sent", 1, "")})
        # Two emails, each at most one timeout per answer awaited.
        self.assertLess(took, 2 * COMMANDS * TIMEOUT)
        self.assertNotIn("could not be sent", self.page())

    def test_it_sends_later_once_when_the_server_is_slower_than_the_timeout(self):
        self.smtp.inbox.command_delay = 3 * TIMEOUT  # EHLO's answer comes too late
        took = self.tick()
        self.assertEqual(self.smtp.messages, [])
        # One timeout, not one per email: once the mail server has timed out, the
        # other emails wait for the next minute; the other organisation's webhook
        # went in the same minute.
        waiting = Notification.objects.filter(webhook=None).order_by("-attempts")
        self.assertEqual(
            [(r.status, r.attempts) for r in waiting], [("pending", 1), ("pending", 0)]
        )
        self.assertEqual(waiting[0].error, transports.MAIL_UNREACHABLE)
        self.assertLess(took, 2 * TIMEOUT + 3)
        self.assertEqual(len(self.hooked), 1)
        self.assertIn("failed; next attempt", self.page())

        self.smtp.inbox.command_delay = 0.2
        for _ in range(4):
            self.tick()
        self.assertEqual(self.emails(), Counter({self.alice.email: 1, self.charlie.email: 1}))
        self.assertEqual(
            sorted((r.status, r.attempts) for r in waiting.all()), [("sent", 1), ("sent", 2)]
        )
        self.assertEqual(len(self.hooked), 1)
        self.assertNotIn("could not be sent", self.page())

    def test_it_never_resends_a_message_the_server_confirmed_too_late(self):
        # The server receives the message and answers "250" after our timeout: it
        # queued it, we cannot know. Sending it again would make a duplicate.
        self.smtp.delay = 2 * TIMEOUT
        self.tick()
        for _ in range(30):  # half an hour of ticks: past every backoff
            self.tick()
        self.assertEqual(self.emails(), Counter({self.alice.email: 1, self.charlie.email: 1}))
        self.assertEqual(len(self.hooked), 1)
        for row in Notification.objects.filter(webhook=None):
            self.assertEqual((row.status, row.attempts), (NotificationStatus.FAILED, 1))
            self.assertEqual(row.error, transports.MAIL_UNCONFIRMED)

        page = self.page()
        self.assertIn("1 notification could not be sent.", page)
        self.assertIn("it may have arrived, so it was not sent again", page)
        french = self.page("fr")
        self.assertIn("il est peut-être arrivé", french)
