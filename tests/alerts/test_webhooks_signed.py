"""Signed JSON webhooks: a real receiver checks each delivery with the snippet of
docs/webhooks.md; retries, the delivery log, redelivery, the test button, roles."""

import json
import re
import time
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.urls import reverse
from django.utils import timezone

from monitoring.net.fetch import post_json
from reputation.alerts import outbox, scan
from reputation.alerts.models import AlertPreference, Notification, Webhook
from reputation.orgs.models import Membership
from reputation.webhooks.models import KEPT_PER_WEBHOOK, WebhookDelivery
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.httpserver import LocalServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verify():
    """The verification snippet of docs/webhooks.md, run as a receiver would."""
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own document
    return namespace["verify"]


verify = documented_verify()


class SignedWebhookTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.http = LocalServer()
        self.http.start()
        self.addCleanup(self.http.stop)
        self.got = []  # (headers, raw body) as received
        self.answers = []  # statuses to answer, in turn; 200 once used up

        def receive(req):
            length = int(req.headers.get("Content-Length", "0"))
            self.got.append((dict(req.headers), req.rfile.read(length)))
            status = self.answers.pop(0) if self.answers else 200
            return status, {"Content-Type": "text/plain"}, b"boom" if status >= 500 else b"ok"

        self.http.route("/hook", handler=receive)
        AlertPreference.objects.all().delete()
        Membership.objects.filter(organisation=self.org).update(role="viewer")
        Membership.objects.filter(user=self.alice).update(role="owner")
        AlertPreference.objects.all().delete()
        self.hook = Webhook.objects.create(
            organisation=self.org, url=self.http.url("/hook"), kind="json"
        )
        self.at = timezone.now() + timedelta(seconds=61)

    def alert(self, title="Accueil glacial", at=None):
        # No member wants emails (viewers): the webhook is the only recipient.
        AlertPreference.objects.update_or_create(
            membership=Membership.objects.get(user=self.alice), defaults={"instant": False}
        )
        mention(self.org, followed_source(self.org), tracked(self.org), title=title)
        scan.scan(now=at or self.at)
        return Notification.objects.filter(webhook=self.hook).order_by("-pk").first()

    def eager(self):
        current_app.conf.task_always_eager = True
        self.addCleanup(setattr, current_app.conf, "task_always_eager", False)

    def test_it_signs_a_delivery_that_the_documented_snippet_verifies(self):
        self.alert()
        self.assertEqual(outbox.send_due(now=self.at), 1)
        self.assertEqual(len(self.got), 1)
        headers, body = self.got[0]
        self.assertTrue(verify(self.hook.secret, headers, body))
        doc = json.loads(body)
        self.assertEqual((doc["version"], doc["type"]), (1, "mention.negative"))
        self.assertEqual(doc["id"], headers["webhook-id"])
        self.assertEqual(doc["data"]["organisation"]["code"], str(self.org.code))
        (m,) = doc["data"]["mentions"]
        self.assertEqual(m["title"], "Accueil glacial")
        self.assertEqual((m["sentiment"], m["score"]), ("negative", -0.8))
        self.assertEqual(m["tracked_name"], "Boulangerie Dupont")
        self.assertEqual(m["source"]["title"], "Le Progrès")
        self.assertIsInstance(m["severity"], int)
        for key in ("url", "snippet", "published"):
            self.assertTrue(m[key], key)
        # What a forger or a replayer would need to get past the receiver.
        self.assertFalse(verify(self.hook.secret, headers, body.replace(b"glacial", b"chaleureux")))
        self.assertFalse(verify(Webhook(organisation=self.org).secret, headers, body))
        late = int(headers["webhook-timestamp"]) + 301
        self.assertFalse(verify(self.hook.secret, headers, body, now=late))
        self.assertFalse(verify(self.hook.secret, {**headers, "webhook-signature": ""}, body))

    def test_it_retries_after_500_answers_with_backoff_and_logs_each_attempt(self):
        self.answers = [500, 500]
        row = self.alert()
        outbox.send_due(now=self.at)
        row.refresh_from_db()
        self.assertEqual((row.status, row.error), ("pending", "webhook answered 500"))
        self.assertEqual(row.next_attempt, self.at + timedelta(minutes=1))
        # Not due yet, and a second run at the same moment sends nothing more.
        self.assertEqual(outbox.send_due(now=self.at + timedelta(seconds=30)), 0)
        second = self.at + timedelta(minutes=1)
        outbox.send_due(now=second)
        row.refresh_from_db()
        self.assertEqual(row.next_attempt, second + timedelta(minutes=2))
        self.assertEqual(outbox.send_due(now=second + timedelta(minutes=2)), 1)
        self.assertEqual(outbox.send_due(now=second + timedelta(minutes=5)), 0)
        self.assertEqual(len(self.got), 3)
        # Same delivery id and document each time, signed anew.
        self.assertEqual(
            {h["webhook-id"] for h, _ in self.got}, {json.loads(row.data["body"])["id"]}
        )
        self.assertEqual(len({b for _, b in self.got}), 1)
        self.assertTrue(all(verify(self.hook.secret, h, b) for h, b in self.got))
        log = list(WebhookDelivery.objects.for_webhook(self.hook))
        self.assertEqual([d.attempt for d in log], [3, 2, 1])
        self.assertEqual([d.status_code for d in log], [200, 500, 500])
        self.assertEqual([d.response for d in log], ["ok", "boom", "boom"])
        self.assertEqual(log[1].error, "webhook answered 500")
        self.assertTrue(all(d.duration_ms >= 0 and d.event == "mention.negative" for d in log))

    def test_it_keeps_the_last_deliveries_of_each_webhook(self):
        old = timezone.now() - timedelta(days=1)
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                webhook=self.hook, message_id=f"old{i}", event="test", created=old, body="{}"
            )
            for i in range(KEPT_PER_WEBHOOK)
        )
        other = Webhook.objects.create(organisation=self.other_org, url=self.hook.url, kind="json")
        WebhookDelivery.objects.create(
            webhook=other, message_id="x", event="test", created=old, body="{}"
        )
        self.alert()
        outbox.send_due(now=self.at)
        log = WebhookDelivery.objects.for_webhook(self.hook)
        self.assertEqual(log.count(), KEPT_PER_WEBHOOK)
        self.assertEqual(log.first().status_code, 200)
        self.assertEqual(WebhookDelivery.objects.filter(webhook=other).count(), 1)

    def test_it_redelivers_the_same_document_with_a_new_signature(self):
        self.eager()
        self.alert()
        outbox.send_due(now=self.at)
        delivery = WebhookDelivery.objects.get()
        self.login(self.alice)
        url = reverse("webhook-redeliver", args=[self.org.code, self.hook.code, delivery.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(self.got), 2)
        (h1, b1), (h2, b2) = self.got
        self.assertEqual(b1, b2)
        self.assertEqual(h1["webhook-id"], h2["webhook-id"])
        self.assertTrue(verify(self.hook.secret, h2, b2))
        self.assertEqual(WebhookDelivery.objects.count(), 2)
        page = self.client.get(reverse("alerts", args=[self.org.code])).content.decode()
        self.assertIn(h1["webhook-id"], page)
        self.assertIn("Redeliver", page)

    def test_it_sends_a_test_from_the_button(self):
        self.eager()
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("webhook-test", args=[self.org.code, self.hook.code])
            )
        self.assertEqual(response.status_code, 302)
        ((headers, body),) = self.got
        self.assertTrue(verify(self.hook.secret, headers, body))
        doc = json.loads(body)
        self.assertEqual((doc["type"], doc["data"]["mentions"]), ("test", []))
        self.assertEqual(WebhookDelivery.objects.get().event, "test")

    def test_it_sends_a_test_to_slack_too(self):
        self.eager()
        self.hook.kind = "slack"
        self.hook.save()
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("webhook-test", args=[self.org.code, self.hook.code]))
        ((headers, body),) = self.got
        self.assertIn("this webhook works", json.loads(body)["text"])
        self.assertNotIn("webhook-signature", headers)

    def test_it_shows_the_secret_once_and_rotates_it(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("alerts-webhook-add", args=[self.org.code]),
            {"url": self.http.url("/other"), "kind": "json"},
        )
        created = Webhook.objects.get(url=self.http.url("/other"))
        self.assertContains(response, created.secret)
        self.assertIn("no-store", response["Cache-Control"])
        page = self.client.get(reverse("alerts", args=[self.org.code]))
        self.assertNotContains(page, created.secret)
        self.assertNotContains(page, self.hook.secret)
        before = created.secret
        response = self.client.post(reverse("webhook-rotate", args=[self.org.code, created.code]))
        created.refresh_from_db()
        self.assertNotEqual(created.secret, before)
        self.assertTrue(created.secret.startswith("whsec_"))
        self.assertContains(response, created.secret)

    def test_it_refuses_the_buttons_to_members_and_viewers(self):
        self.eager()
        self.alert()
        outbox.send_due(now=self.at)
        delivery = WebhookDelivery.objects.get()
        Membership.objects.filter(user=self.bob).update(role="member")
        before = self.hook.secret
        urls = [
            reverse("webhook-test", args=[self.org.code, self.hook.code]),
            reverse("webhook-rotate", args=[self.org.code, self.hook.code]),
            reverse("webhook-redeliver", args=[self.org.code, self.hook.code, delivery.pk]),
        ]
        for user, status in ((self.bob, 403), (self.viewer, 403), (self.charlie, 404)):
            self.login(user)
            for url in urls:
                with self.captureOnCommitCallbacks(execute=True):
                    self.assertEqual(self.client.post(url).status_code, status, (user, url))
        self.login(self.viewer)
        page = self.client.get(reverse("alerts", args=[self.org.code]))
        self.assertNotContains(page, before)
        self.assertNotContains(page, "Send a test")
        self.assertNotContains(page, "Redeliver")
        self.hook.refresh_from_db()
        self.assertEqual(self.hook.secret, before)
        self.assertEqual(len(self.got), 1)
        self.assertEqual(Notification.objects.count(), 1)

    def test_it_refuses_another_organisations_delivery(self):
        other = Webhook.objects.create(organisation=self.other_org, url=self.hook.url, kind="json")
        theirs = WebhookDelivery.objects.create(
            webhook=other, message_id="x", event="test", body="{}"
        )
        self.login(self.alice)
        url = reverse("webhook-redeliver", args=[self.org.code, self.hook.code, theirs.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        url = reverse("webhook-redeliver", args=[self.org.code, other.code, theirs.pk])
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_it_bounds_hostile_answer_bodies(self):
        def endless(req):
            req.rfile.read(int(req.headers.get("Content-Length", "0")))
            return 200, {"Content-Type": "text/plain"}, iter(lambda: b"A" * 65536, None)

        def binary(req):
            req.rfile.read(int(req.headers.get("Content-Length", "0")))
            junk = (b"\x00\xff\xfe\x80" * 4096) + b"<script>"
            return 500, {"Content-Type": "application/octet-stream"}, junk

        self.http.route("/endless", handler=endless)
        self.http.route("/binary", handler=binary)
        self.hook.url = self.http.url("/endless")
        self.hook.save()
        self.alert()
        started = time.monotonic()
        outbox.send_due(now=self.at)
        self.assertLess(time.monotonic() - started, 10)
        answer = WebhookDelivery.objects.get()
        self.assertEqual((answer.status_code, answer.response), (200, "A" * 2048))
        self.hook.url = self.http.url("/binary")
        self.hook.save()
        WebhookDelivery.objects.all().delete()
        later = self.at + timedelta(minutes=2)
        self.alert("Deuxième", at=later)
        outbox.send_due(now=later)
        answer = WebhookDelivery.objects.get()
        self.assertEqual(answer.status_code, 500)
        self.assertNotIn("\x00", answer.response)
        self.assertLessEqual(len(answer.response.encode("utf-8")), 3 * 2048)
        self.assertIn("\ufffd", answer.response)

    def test_it_still_refuses_private_addresses_when_not_allowed(self):
        self.alert()
        with self.settings(FETCH_ALLOW_PRIVATE_ADDRESSES=False):
            outbox.send_due(now=self.at)
        self.assertEqual(self.got, [])
        self.assertEqual(self.http.requests, [])
        row = WebhookDelivery.objects.get()
        self.assertIsNone(row.status_code)
        self.assertIn("address refused", row.error)
        self.assertEqual(Notification.objects.get().status, "pending")


def test_it_reads_at_most_what_is_kept_of_an_answer():
    srv = LocalServer()
    srv.start()
    try:
        srv.route("/big", handler=lambda req: (200, {}, iter(lambda: b"B" * 65536, None)))
        posted = post_json(srv.url("/big"), b'{"a":1}', headers={"x-test": "1"}, keep=100)
        assert (posted.status, posted.body) == (200, b"B" * 100)
        assert srv.requests[0][2]["x-test"] == "1"
        assert post_json(srv.url("/big"), {"a": 1}) == 200
    finally:
        srv.stop()
