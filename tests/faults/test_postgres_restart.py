"""PostgreSQL restarted: while idle, in the middle of a poll, during an alert's send.

A private PostgreSQL cluster (initdb + pg_ctl in a temporary folder, never the
machine's server), migrated once for the class; this test's own connection and the
worker's point at it. What must hold: /healthz names the database while it is down
and answers ok as soon as it is back (a connection the restart broke is replaced, not
reported); a poll the restart interrupts stores nothing half-way, is not counted
against its source, and is done again, once; the worker survives. An alert whose
send the restart interrupts arrives exactly once: recorded as sent once the server is
back when the restart comes after the hand-off, sent again by the next sender when
it comes before.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Source
from monitoring.pipeline import tasks
from reputation.alerts import outbox, scan
from reputation.alerts.models import Notification, NotificationStatus, Webhook, WebhookKind
from reputation.orgs.models import Membership, Organisation, Role
from reputation.webhooks.models import WebhookDelivery
from tests import worker as processes
from tests.alerts_data import followed_source, mention, tracked
from tests.base import make_user
from tests.faults.scene import (
    Feeds,
    mentions_per_feed,
    nothing_doubled,
    organisation_following,
    successful_polls,
)
from tests.faults.services import PrivatePostgres, postgres_missing
from tests.httpserver import LocalServer
from tests.smtpserver import LocalSMTP
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
        cls.pg = PrivatePostgres()
        # Run even when setUpClass fails below (tearDownClass would not): no server left.
        cls.addClassCleanup(cls.pg.cleanup)
        cls.pg.init()
        cls.pg.start()
        cls.pg.createdb("faults")
        try:
            # The test database's schema, already migrated by the runner: copied in a
            # second where running the migrations again takes twenty.
            cls.pg.load_schema(processes.test_database_url(), "faults")
        except subprocess.CalledProcessError:
            # Not created yet (this class runs first): the migrations, then.
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="tests.settings",
                DATABASE_URL=cls.pg.url("faults"),
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

    def send_in_thread(self, pk) -> dict:
        """outbox.send_one(pk) in a thread of its own (its own connection), as in
        another worker; returns where its outcome or its exception will be."""
        outcome = {}

        def run():
            try:
                outcome["sent"] = outbox.send_one(pk)
            except Exception as exc:  # what the task would log
                outcome["error"] = exc
            finally:
                connection.close()

        outcome["thread"] = thread = threading.Thread(target=run)
        thread.start()
        return outcome

    def test_it_sends_each_alert_once_across_a_restart_during_the_send(self):
        smtp = LocalSMTP().start()
        self.addCleanup(smtp.stop)
        self.enterContext(smtp.overridden())
        self.enterContext(self.settings(ALERT_LEASE_SECONDS=2, ALERT_DATABASE_RETRY_SECONDS=30))
        hooked, hook_held, hook_release = [], threading.Event(), threading.Event()
        self.addCleanup(hook_release.set)

        def receive(req):
            req.rfile.read(int(req.headers.get("Content-Length", "0")))
            hooked.append(req.headers["webhook-id"])
            hook_held.set()
            hook_release.wait(30)  # the answer comes once the database is down
            return 200, {"Content-Type": "text/plain"}, b"ok"

        self.server.route("/hook", handler=receive)
        owner = make_user("sending@example.org")
        org = Organisation.objects.create(slug="sending", name="Boulangerie Dupont")
        Membership.objects.create(user=owner, organisation=org, role=Role.OWNER)
        hook = Webhook.objects.create(
            organisation=org, url=self.server.url("/hook"), kind=WebhookKind.JSON
        )
        source, name = followed_source(org), tracked(org)
        old = timezone.now() - timedelta(minutes=2)  # past the grouping window
        mention(org, source, name, created=old)
        scan.scan()
        email = Notification.objects.get(organisation=org, webhook=None)
        posted = Notification.objects.get(organisation=org, webhook=hook)

        # 1. After the hand-off: the mail server has the message and the receiver the
        # request when the server stops; their answers come while it is down.
        data = smtp.inbox.hold("DATA")
        senders = [self.send_in_thread(email.pk), self.send_in_thread(posted.pk)]
        self.assertTrue(data.arrived.wait(30) and hook_held.wait(30))
        connection.close()
        self.pg.stop()
        data.released.set()
        hook_release.set()
        time.sleep(1.5)  # the senders find the database away, and keep trying
        self.pg.start()
        for sender in senders:
            sender["thread"].join(30)
            self.assertEqual(sender.get("sent"), True, sender.get("error"))
        for row in (email, posted):
            row.refresh_from_db()
            self.assertEqual((row.status, row.attempts, row.error), ("sent", 1, ""))
        self.assertEqual(len(smtp.messages), 1)
        self.assertEqual(hooked, [f"msg_{posted.code.hex}"])
        log = WebhookDelivery.objects.get(notification=posted)  # the answer, logged once
        self.assertEqual((log.status_code, log.response), (200, "ok"))

        # 2. Before the hand-off: the server stops while the mail server greets the
        # sender. Nothing left; the claim ends with its lease and the alert goes once.
        mention(org, source, name, created=timezone.now() - timedelta(minutes=2))
        scan.scan()
        second = Notification.objects.filter(organisation=org, webhook=None).exclude(pk=email.pk)
        second = second.get()
        greeting = smtp.inbox.hold("GREETING")
        sender = self.send_in_thread(second.pk)
        self.assertTrue(greeting.arrived.wait(30))
        connection.close()
        self.pg.stop()
        greeting.released.set()  # it would mark the row as handed over now: it cannot
        sender["thread"].join(30)
        self.assertIsInstance(sender.get("error"), Exception)
        self.pg.start()
        self.assertEqual(len(smtp.messages), 1)
        second.refresh_from_db()
        self.assertEqual(second.status, NotificationStatus.CLAIMED)
        time.sleep(2.5)  # ALERT_LEASE_SECONDS
        self.assertEqual(outbox.send_due(), 2)  # this email, and the webhook's alert
        self.assertEqual(outbox.send_due(), 0)
        self.assertEqual(len(smtp.messages), 2)
        self.assertEqual(len(set(hooked)), len(hooked), hooked)
        self.assertEqual(len(hooked), 2)
        second.refresh_from_db()
        self.assertEqual((second.status, second.attempts), ("sent", 2))

        self.client.force_login(owner)
        page = self.client.get(reverse("alerts", args=[org.code])).content.decode()
        self.assertNotIn("could not be sent", page)
        self.assertNotIn("may have arrived", page)
