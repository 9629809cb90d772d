"""A webhook receiver answering 500 for an hour (issue 22).

A real receiver on 127.0.0.1 answers 500 to every delivery for an hour of simulated
time while beat's `alerts-tick` runs every minute, then 200. Every delivery arrives
exactly once (by its `webhook-id`), after the documented retry schedule, the
delivery log shows each failed attempt; and when the retry budget ends first, the
alerts page says the delivery failed and "Redeliver" sends it once.
"""

from collections import Counter
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse

from reputation.alerts import outbox, tasks
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


class WebhookDownTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.clock = Clock()
        self.enterContext(self.clock.running())
        self.receiver = LocalServer()
        self.receiver.start()
        self.addCleanup(self.receiver.stop)
        self.down = True
        self.attempts = []  # (simulated time, webhook-id, status answered)

        def receive(req):
            req.rfile.read(int(req.headers.get("Content-Length", "0")))
            status = 500 if self.down else 200
            self.attempts.append((self.clock.now(), req.headers["webhook-id"], status))
            return status, {"Content-Type": "text/plain"}, b"oops" if self.down else b"ok"

        self.receiver.route("/hook", handler=receive)
        self.hook = Webhook.objects.create(
            organisation=self.org, url=self.receiver.url("/hook"), kind=WebhookKind.JSON
        )
        self.source, self.name = followed_source(self.org), tracked(self.org)

    def tick(self) -> None:
        """What beat's alerts-tick does every minute, then a minute passes."""
        tasks.alerts_tick()
        self.clock.advance(minutes=1)

    def delivered(self) -> Counter:
        return Counter(i for _, i, status in self.attempts if status == 200)

    def test_it_delivers_each_alert_once_after_an_hour_of_500(self):
        started = self.clock.now()
        for minute in range(60):
            if minute in (0, 20, 40):  # alerts keep coming during the outage
                mention(self.org, self.source, self.name, title=f"Pain rassis {minute}")
            self.tick()
        self.assertEqual(self.delivered(), Counter())
        self.assertTrue(self.attempts)
        self.down = False
        for _ in range(3 * 60):
            if not self.hook.notifications.exclude(status=NotificationStatus.SENT).exists():
                break
            self.tick()

        rows = list(Notification.objects.filter(webhook=self.hook))
        self.assertEqual(len(rows), 3)
        ids = {f"msg_{row.code.hex}" for row in rows}
        self.assertEqual(self.delivered(), Counter(dict.fromkeys(ids, 1)))
        for row in rows:
            self.assertEqual(row.status, NotificationStatus.SENT)
            self.assertEqual(row.error, "webhook answered 500")  # why it came late

        # The first alert's attempts follow the backoff (1, 2, 4... minutes, at most
        # an hour apart), none too early, none skipped.
        first = min(rows, key=lambda r: r.created)
        times = [t for t, i, _ in self.attempts if i == f"msg_{first.code.hex}"]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        self.assertEqual(gaps, [outbox.backoff(n) for n in range(1, len(times))])
        self.assertLessEqual(times[-1] - started, timedelta(hours=2, minutes=5))

        # The delivery log: every failed attempt with its answer, then the success.
        log = WebhookDelivery.objects.filter(notification=first).order_by("attempt")
        self.assertEqual([d.attempt for d in log], list(range(1, len(times) + 1)))
        self.assertEqual({d.status_code for d in log[: len(times) - 1]}, {500})
        self.assertEqual(log.last().status_code, 200)
        self.assertEqual(log.last().response, "ok")

        self.login(self.alice)
        page = self.client.get(f"/org/{self.org.code}/alerts/").content.decode()
        self.assertIn("webhook answered 500", page)
        self.assertIn("late, at attempt", page)
        self.assertNotIn("could not be sent", page)

    @override_settings(ALERT_MAX_ATTEMPTS=4)
    def test_it_says_a_delivery_failed_when_the_retries_end_and_redelivers_it_once(self):
        mention(self.org, self.source, self.name, title="Accueil glacial")
        for _ in range(60):
            self.tick()
        row = Notification.objects.get(webhook=self.hook)
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertEqual(row.attempts, 4)
        self.assertEqual(len(self.attempts), 4)  # the budget ended at 1 + 2 + 4 minutes

        self.down = False
        for _ in range(30):
            self.tick()
        self.assertEqual(self.delivered(), Counter())  # a failed row is never retried

        self.login(self.alice)
        page = self.client.get(f"/org/{self.org.code}/alerts/").content.decode()
        self.assertIn("1 notification could not be sent.", page)
        last = WebhookDelivery.objects.filter(notification=row).order_by("-attempt").first()
        redeliver = reverse("webhook-redeliver", args=[self.org.code, self.hook.code, last.pk])
        self.assertIn(redeliver, page)

        self.assertEqual(self.client.post(redeliver).status_code, 302)
        for _ in range(3):  # the task queued on commit, or the next tick, sends it
            self.tick()
        self.assertEqual(self.delivered(), Counter({f"msg_{row.code.hex}": 1}))
        again = self.hook.notifications.exclude(pk=row.pk).get()
        self.assertEqual((again.kind, again.status), (NotificationKind.INSTANT, "sent"))
        page = self.client.get(f"/org/{self.org.code}/alerts/").content.decode()
        self.assertNotIn("could not be sent", page)
        self.assertIn("Redelivered since, with success.", page)
