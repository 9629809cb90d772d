"""A webhook receiver that hangs: it takes the connection and the request, and never
answers (issue 22).

A real receiver on 127.0.0.1 keeps each request unanswered while beat's alerts-tick
runs every simulated minute; the fetch timeouts are set short (the defaults, 20 s
of silence and 45 s in all, behave the same, only slower). What must hold: each
attempt ends at the timeout, the alert is tried again on the backoff (1, 2, 4...
minutes) and acknowledged once when the receiver answers again; the same
organisation's emails and another organisation's webhook are delivered in the same
minute, and a receiver with many deliveries due costs one timeout a minute, not
one per delivery; the alerts page says, in the reader's language, that the receiver did not
answer in time.
"""

import html
import threading
import time
from collections import Counter
from datetime import timedelta

from django.utils import translation

from reputation.alerts import outbox, tasks, transports
from reputation.alerts.models import (
    Notification,
    NotificationKind,
    NotificationStatus,
    Webhook,
    WebhookKind,
)
from reputation.webhooks.models import WebhookDelivery
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.faults.clock import Clock
from tests.httpserver import LocalServer
from tests.smtpserver import LocalSMTP

READ_TIMEOUT = 0.5  # FETCH_READ_TIMEOUT: silence after the request
TOTAL_TIMEOUT = 1.5  # FETCH_TOTAL_TIMEOUT: the whole delivery


class HangingWebhookTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(self.settings(FETCH_READ_TIMEOUT=READ_TIMEOUT))
        self.enterContext(self.settings(FETCH_TOTAL_TIMEOUT=TOTAL_TIMEOUT))
        self.clock = Clock()
        self.enterContext(self.clock.running())
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        self.enterContext(self.smtp.overridden())

        self.receiver = LocalServer()
        self.receiver.start()
        self.addCleanup(self.receiver.stop)
        self.unstuck = threading.Event()  # ends the hung handlers' threads at the end
        self.addCleanup(self.unstuck.set)
        self.hanging = True
        self.calls = []  # (path, webhook-id, answered)
        for path in ("/hangs", "/works"):
            self.receiver.route(path, handler=self.handler(path))

        self.hooks = {
            "hangs": Webhook.objects.create(
                organisation=self.org, url=self.receiver.url("/hangs"), kind=WebhookKind.JSON
            ),
            "works": Webhook.objects.create(
                organisation=self.other_org, url=self.receiver.url("/works"), kind=WebhookKind.JSON
            ),
        }
        created = self.clock.now() - timedelta(minutes=2)  # alerted at the first tick
        for org, label in ((self.org, "Boulangerie Dupont"), (self.other_org, "Charlie Inc")):
            mention(org, followed_source(org), tracked(org, label), created=created)

    def handler(self, path):
        def answer(req):
            req.rfile.read(int(req.headers.get("Content-Length", "0")))
            hang = path == "/hangs" and self.hanging
            self.calls.append((path, req.headers["webhook-id"], not hang))
            if hang:
                self.unstuck.wait(60)  # the request arrived; no answer ever comes
            return 200, {"Content-Type": "text/plain"}, b"ok"

        return answer

    def tick(self) -> float:
        started = time.monotonic()
        tasks.alerts_tick()
        self.clock.advance(minutes=1)
        return time.monotonic() - started

    def answered(self, path) -> Counter:
        return Counter(i for p, i, answered in self.calls if p == path and answered)

    def page(self, language="en") -> str:
        self.login(self.alice)
        answer = self.client.get(f"/org/{self.org.code}/alerts/", HTTP_ACCEPT_LANGUAGE=language)
        translation.deactivate()  # the test client leaves the request's language active
        return html.unescape(answer.content.decode())

    def test_it_times_out_retries_and_holds_nothing_else_up(self):
        took = self.tick()
        # The hung delivery cost one timeout; the rest went in the same minute.
        self.assertLess(took, TOTAL_TIMEOUT + 3)
        self.assertEqual(len(self.answered("/works")), 1)
        self.assertEqual(
            Counter(str(m["To"]) for m in self.smtp.messages),
            Counter({self.alice.email: 1, self.charlie.email: 1}),
        )
        hung = Notification.objects.get(webhook=self.hooks["hangs"])
        self.assertEqual(hung.status, NotificationStatus.PENDING)
        self.assertEqual(hung.error, transports.WEBHOOK_TIMEOUT)
        first = WebhookDelivery.objects.get(notification=hung)
        self.assertIsNone(first.status_code)
        self.assertIn("took too long", first.error)  # the technical detail, in the log
        self.assertLess(first.duration_ms, 1000 * (TOTAL_TIMEOUT + 1))

        page = self.page()
        self.assertIn("did not answer in time; it is tried again automatically", page)
        self.assertIn("failed; next attempt", page)
        self.assertIn("n'a pas répondu à temps\u202f; il est réessayé", self.page("fr"))

        for _ in range(15):  # attempts at minutes 1, 2, 4, 8 (then 16, after this)
            self.tick()
        self.hanging = False
        for _ in range(20):
            if Notification.objects.filter(webhook=self.hooks["hangs"], status="sent").exists():
                break
            self.tick()

        hung.refresh_from_db()
        self.assertEqual(hung.status, NotificationStatus.SENT)
        self.assertEqual(self.answered("/hangs"), Counter({f"msg_{hung.code.hex}": 1}))
        self.assertEqual(len(self.answered("/works")), 1)  # never again
        self.assertEqual(len(self.smtp.messages), 2)
        log = list(WebhookDelivery.objects.filter(notification=hung).order_by("attempt"))
        self.assertEqual([d.attempt for d in log], list(range(1, hung.attempts + 1)))
        self.assertEqual(hung.attempts, 6)
        times = [d.created for d in log]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        self.assertEqual(gaps, [outbox.backoff(n) for n in range(1, len(times))])
        self.assertEqual([d.status_code for d in log], [None] * 5 + [200])
        page = self.page()
        self.assertIn("late, at attempt 6", page)
        self.assertNotIn("could not be sent", page)

    def test_it_costs_one_timeout_a_minute_however_many_deliveries_wait(self):
        hook = self.hooks["hangs"]
        for _ in range(3):  # admins' tests, due with the alert
            Notification.objects.create(
                organisation=self.org, webhook=hook, kind=NotificationKind.TEST
            )
        took = self.tick()
        self.assertLess(took, TOTAL_TIMEOUT + 3)
        self.assertEqual(WebhookDelivery.objects.filter(webhook=hook).count(), 1)
        self.assertEqual(len(self.answered("/works")), 1)
        self.assertEqual(len(self.smtp.messages), 2)
        for minute in range(1, 20):
            self.tick()
            self.assertLessEqual(WebhookDelivery.objects.filter(webhook=hook).count(), minute + 1)
        self.hanging = False
        rows = Notification.objects.filter(webhook=hook)
        for _ in range(60):
            if not rows.exclude(status=NotificationStatus.SENT).exists():
                break
            self.tick()
        self.assertEqual(self.answered("/hangs"), Counter({f"msg_{r.code.hex}": 1 for r in rows}))
        self.assertEqual(len(self.answered("/works")), 1)
        self.assertEqual(len(self.smtp.messages), 2)
