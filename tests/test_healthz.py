"""Issue 16, defect 6: /healthz answers ok only when the database and the broker do."""

import socket
import time
from unittest import mock

import redis
from django.db import OperationalError, connection
from django.test import TestCase, override_settings
from django.urls import reverse

LIVE_REDIS = "redis://127.0.0.1:6379/12"  # never db 13 (the brief)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HealthzTestCase(TestCase):
    url = reverse("healthz")

    def test_it_answers_ok_with_the_embedded_broker(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.content, b"ok")

    def test_it_names_the_broker_when_redis_is_down(self):
        started = time.monotonic()
        with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 503)
        self.assertIn(b"broker", r.content)
        self.assertNotIn(b"database", r.content)
        self.assertLess(time.monotonic() - started, 3)

    def test_it_answers_ok_with_a_live_redis(self):
        try:
            redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=1).ping()
        except redis.RedisError:
            self.skipTest("no Redis on 127.0.0.1:6379")
        with override_settings(CELERY_BROKER_URL=LIVE_REDIS):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)

    def test_it_names_the_broker_when_its_folder_is_missing(self):
        options = {"data_folder_in": "/nonexistent/broker/queue"}
        with override_settings(
            CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options
        ):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 503)
        self.assertIn(b"broker", r.content)

    def test_it_names_the_database_when_it_fails(self):
        # A database that refuses every query (the connection's cursor raises, as a
        # server that went away does).
        with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 503)
        self.assertIn(b"database", r.content)
