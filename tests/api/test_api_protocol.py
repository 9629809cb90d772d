"""The API's manners: problem details, rate limit headers, request ids,
idempotent POSTs and cursor paging that never repeats nor skips a mention."""

import json
from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from reputation.alerts.models import Webhook
from reputation.api.models import IdempotentAnswer
from tests.api_base import ApiTestCase
from tests.inbox_data import add_mentions


class ProblemTests(ApiTestCase):
    def assertProblem(self, r, status):
        self.assertEqual(r.status_code, status)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        data = r.json()
        self.assertEqual(data["status"], status)
        for field in ("type", "title", "detail"):
            self.assertTrue(data[field], field)
        return data

    def test_it_answers_every_error_as_a_problem(self):
        self.assertProblem(self.client.get("/api/v1/mentions/"), 401)
        self.assertProblem(self.api("member", "get", "/api/v1/webhooks/"), 403)
        self.assertProblem(self.api("member", "get", "/api/v1/nothing-here/"), 404)
        self.assertProblem(self.client.get("/api/v1/nothing-here/"), 404)
        self.assertProblem(self.api("member", "delete", "/api/v1/mentions/"), 405)
        data = self.assertProblem(self.api("member", "get", "/api/v1/mentions/?limit=0"), 400)
        self.assertIn("limit", data["errors"])
        r = self.client.post(
            "/api/v1/mentions/bulk/",
            "{not json",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens['member']}",
        )
        self.assertProblem(r, 400)

    def test_it_answers_a_server_error_as_a_problem(self):
        with mock.patch("reputation.api.views.figures", side_effect=RuntimeError("boom")):
            r = self.api("member", "get", "/api/v1/statistics/")
        data = self.assertProblem(r, 500)
        self.assertNotIn("boom", data["detail"])

    @override_settings(API_REQUESTS_PER_MINUTE=3)
    def test_it_limits_requests_per_key_with_headers(self):
        with mock.patch("reputation.api.limits.time.time", return_value=6000.0):
            answers = [self.api("member", "get", "/api/v1/names/") for _ in range(4)]
            other = self.api("viewer", "get", "/api/v1/names/")
        self.assertEqual([r.status_code for r in answers], [200, 200, 200, 429])
        self.assertEqual(answers[0]["RateLimit-Limit"], "3")
        self.assertEqual(answers[0]["RateLimit-Remaining"], "2")
        self.assertEqual(answers[2]["RateLimit-Remaining"], "0")
        refused = answers[3]
        self.assertProblem(refused, 429)
        self.assertEqual(refused["Retry-After"], "60")
        self.assertEqual(refused["RateLimit-Reset"], "60")
        self.assertEqual(other.status_code, 200)  # each key its own count
        with mock.patch("reputation.api.limits.time.time", return_value=6060.0):
            self.assertEqual(self.api("member", "get", "/api/v1/names/").status_code, 200)

    def test_it_puts_a_request_id_on_every_answer(self):
        r = self.api("member", "get", "/api/v1/names/")
        self.assertEqual(len(r["X-Request-Id"]), 32)
        r = self.client.get("/api/v1/names/", HTTP_X_REQUEST_ID="abc-123-def-456")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r["X-Request-Id"], "abc-123-def-456")
        r = self.client.get("/login/", HTTP_X_REQUEST_ID="bad id <script>")
        self.assertNotIn("<", r["X-Request-Id"])
        self.assertEqual(len(r["X-Request-Id"]), 32)


class IdempotencyTests(ApiTestCase):
    def post(self, body, key="k-1", role="admin"):
        return self.client.post(
            "/api/v1/webhooks/",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens[role]}",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    def test_it_replays_the_first_answer_to_a_retry(self):
        body = {"url": "https://hooks.example.org/a"}
        first, again = self.post(body), self.post(body)
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(first.json(), again.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Webhook.objects.filter(organisation=self.org).count(), 1)

    def test_it_refuses_the_same_key_with_another_body(self):
        self.post({"url": "https://hooks.example.org/a"})
        r = self.post({"url": "https://hooks.example.org/b"})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertEqual(Webhook.objects.filter(organisation=self.org).count(), 1)

    def test_it_keeps_keys_per_organisation_and_for_a_day(self):
        body = {"url": "https://hooks.example.org/a"}
        self.post(body)
        self.assertEqual(self.post(body, role="outsider").status_code, 201)
        IdempotentAnswer.objects.update(created=timezone.now() - timedelta(hours=25))
        self.assertEqual(self.post(body).status_code, 201)
        self.assertEqual(Webhook.objects.filter(organisation=self.org).count(), 2)

    def test_it_does_not_keep_a_refusal(self):
        self.assertEqual(self.post({"url": "nope"}).status_code, 400)
        self.assertFalse(IdempotentAnswer.objects.exists())

    def test_it_answers_409_while_the_first_is_running(self):
        IdempotentAnswer.objects.create(organisation=self.org, key="k-2", request_hash="x")
        body = {"url": "https://hooks.example.org/a"}
        self.assertEqual(self.post(body, key="k-2").status_code, 422)
        row = IdempotentAnswer.objects.get(key="k-2")
        self.post(body, key="k-3")
        row.request_hash = IdempotentAnswer.objects.get(key="k-3").request_hash
        row.save()
        self.assertEqual(self.post(body, key="k-2").status_code, 409)


class CursorTests(ApiTestCase):
    def walk(self, query="", limit=7):
        seen, cursor = [], ""
        for _ in range(50):
            url = f"/api/v1/mentions/?limit={limit}&cursor={cursor}{query}"
            r = self.api("member", "get", url)
            self.assertEqual(r.status_code, 200, r.content)
            seen += [row["id"] for row in r.json()["results"]]
            cursor = r.json()["next_cursor"]
            if not cursor:
                return seen
        raise AssertionError("no last page")

    def test_it_pages_through_ties_without_repeating_or_skipping(self):
        now = timezone.now()
        made = add_mentions(self.org, 20, start=now, step=timedelta(0))
        made += add_mentions(self.org, 5, start=now - timedelta(hours=1), step=timedelta(0))
        seen = self.walk()
        self.assertEqual(len(seen), 25)
        self.assertEqual(set(seen), {str(m.code) for m in made})
        self.assertEqual(len(self.walk("&sort=priority", limit=4)), 25)

    def test_it_refuses_a_cursor_it_did_not_give(self):
        add_mentions(self.org, 3)
        for bad in ("zzz", "MTIz", "!!"):
            r = self.api("member", "get", f"/api/v1/mentions/?cursor={bad}")
            self.assertEqual(r.status_code, 400, bad)
            self.assertIn("cursor", r.json()["errors"])
