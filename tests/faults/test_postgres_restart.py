"""PostgreSQL restarted: while idle, and in the middle of a poll.

A private PostgreSQL cluster (initdb + pg_ctl in a temporary folder, never the
machine's server), migrated once for the class; this test's own connection and the
worker's point at it. What must hold: /healthz names the database while it is down
and answers ok as soon as it is back (a connection the restart broke is replaced, not
reported); a poll the restart interrupts stores nothing half-way, is not counted
against its source, and is done again, once; the worker survives.
"""

import os
import subprocess
import sys
import time

import pytest
from django.db import close_old_connections, connection
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Source
from monitoring.pipeline import tasks
from tests.faults.scene import (
    Feeds,
    mentions_per_feed,
    nothing_doubled,
    organisation_following,
    successful_polls,
)
from tests.faults.services import PrivatePostgres, postgres_missing
from tests.httpserver import LocalServer
from tests.worker import ROOT, CeleryProcess, purge_broker, wait_for

LEASE = 30  # seconds: longer than the outage, so the task's retry finds its sources

ON_POSTGRES = os.getenv("DATABASE_URL", "").startswith("postgres")


@pytest.mark.slow
@pytest.mark.skipif(not ON_POSTGRES, reason="needs the PostgreSQL stack (DATABASE_URL)")
@pytest.mark.skipif(bool(postgres_missing()), reason=postgres_missing() or "-")
class PostgresRestartTests(SimpleTestCase):
    databases = {"default"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pg = PrivatePostgres().init()
        cls.pg.start()
        cls.pg.createdb("faults")
        env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL=cls.pg.url("faults")
        )
        migrate = [sys.executable, "manage.py", "migrate", "-v0", "--no-input"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True)
        # This process's queries go to the private server too (tests/worker.py gives
        # the workers the same address); put back when the class is done.
        connection.close()
        cls.saved = dict(connection.settings_dict)
        connection.settings_dict.update(
            NAME="faults", HOST="127.0.0.1", PORT=cls.pg.port, USER="postgres", PASSWORD=""
        )

    @classmethod
    def tearDownClass(cls):
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(cls.saved)
        cls.pg.cleanup()
        super().tearDownClass()

    def setUp(self):
        purge_broker()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)

    def healthz(self):
        # What Django's handler does when a request starts (the test client skips it):
        # connections past their age or broken are dropped, the others checked anew.
        close_old_connections()
        started = time.monotonic()
        answer = self.client.get(reverse("healthz"))
        self.assertLess(time.monotonic() - started, 3)  # docker-compose waits 5 s
        return answer

    def test_it_reports_the_database_while_it_is_down_and_ok_once_it_is_back(self):
        self.assertEqual(self.healthz().status_code, 200)
        self.pg.stop()
        down = self.healthz()
        self.assertEqual(down.status_code, 503)
        self.assertEqual(down.content, b"unavailable: database")
        self.pg.start()
        self.assertEqual(self.healthz().status_code, 200)

        # Restarted between two requests: the kept connection is dead, yet the first
        # request after the restart answers ok (CONN_HEALTH_CHECKS replaces it).
        self.assertEqual(self.healthz().status_code, 200)
        self.pg.stop()
        self.pg.start()
        self.assertEqual(self.healthz().status_code, 200)

    def test_it_polls_again_once_after_a_restart_in_the_middle_of_a_poll(self):
        feeds = Feeds(self.server, ["a", "b", "c"])
        org, sources = organisation_following(feeds, slug="restart")
        later = timezone.now() + timezone.timedelta(hours=1)
        Source.objects.filter(pk=sources["c"].pk).update(next_fetch_at=later)
        env = {"POLL_LEASE_SECONDS": str(LEASE), "POLL_DATABASE_RETRY_SECONDS": "1"}
        # The held answer waits for the restart: no fetch timeout may end it first.
        env.update(FETCH_READ_TIMEOUT="60", FETCH_TOTAL_TIMEOUT="90")
        worker = CeleryProcess("worker", env=env).start()
        self.addCleanup(worker.stop)
        worker.wait_ready()

        def log():
            return "\n" + worker.output()[-4000:]

        # 1. The server restarts while b's answer is awaited, and is back when it comes.
        feeds.hold("b")
        with self.settings(POLL_LEASE_SECONDS=LEASE):
            tasks.dispatch_due_sources()  # a and b, one task
        wait_for(feeds.waiting.is_set, 30, message="b's fetch" + log())
        wait_for(lambda: successful_polls(sources)["a"] == 1, 30, message="a's poll" + log())
        connection.close()
        self.pg.stop()
        self.pg.start()
        feeds.release()

        def polled(name):
            def check():
                with self.settings(POLL_LEASE_SECONDS=LEASE):
                    tasks.dispatch_due_sources()  # beat's tick
                return successful_polls(sources)[name] == 1

            return check

        wait_for(polled("b"), 40, interval=1, message="b polled again" + log())

        # 2. The answer comes while the server is down: storing it and even handing the
        # source back fail; the task tries again, and once the server is back polls it.
        feeds.hold("c")
        Source.objects.filter(pk=sources["c"].pk).update(next_fetch_at=timezone.now())
        with self.settings(POLL_LEASE_SECONDS=LEASE):
            tasks.dispatch_due_sources()
        wait_for(feeds.waiting.is_set, 30, message="c's fetch" + log())
        connection.close()
        self.pg.stop()
        feeds.release()
        time.sleep(3)  # the poll fails, and its retries too, while the server is down
        self.pg.start()
        wait_for(polled("c"), 40, interval=1, message="c polled again" + log())

        time.sleep(2)  # a late second poll would show now
        self.assertEqual(successful_polls(sources), {"a": 1, "b": 1, "c": 1})
        self.assertEqual(mentions_per_feed(org, sources), {"a": 2, "b": 2, "c": 2})
        nothing_doubled(self)
        # The database failed, not the sources: nothing counted against them.
        for source in Source.objects.filter(pk__in=[s.pk for s in sources.values()]):
            self.assertEqual((source.error_count, source.last_error), (0, ""))
        self.assertIsNone(worker.proc.poll(), "the worker survived" + log())
        self.assertIn("Retry in 1s", worker.output())
