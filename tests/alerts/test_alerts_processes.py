"""At most once with real processes: two senders at once, a worker killed mid-send,
a worker killed before the hand-off (exactly once).

A real SMTP server on 127.0.0.1 receives; senders are separate processes on the
test database (a real Celery worker for the kill), as in production.
"""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.test import TransactionTestCase
from django.utils import timezone

from reputation.alerts import outbox, scan
from reputation.alerts.models import Notification, NotificationStatus
from reputation.alerts.tasks import alerts_tick
from reputation.orgs.models import Membership, Organisation, Role
from tests import worker as processes
from tests.alerts_data import followed_source, mention, tracked
from tests.base import make_user
from tests.smtpserver import LocalSMTP
from tests.worker import ROOT, CeleryProcess, purge_broker, wait_for

SEND = "import django; django.setup(); from reputation.alerts import outbox; outbox.send_due()"


@pytest.mark.slow
class SenderProcessTests(TransactionTestCase):
    def setUp(self):
        purge_broker()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        self.alice = make_user("alice@example.org")
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        Membership.objects.create(user=self.alice, organisation=self.org, role=Role.OWNER)
        now = timezone.now()
        mention(
            self.org,
            followed_source(self.org),
            tracked(self.org),
            created=now - timedelta(minutes=2),
        )

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=processes.test_database_url(),
            PYTHONPATH=str(ROOT),
        )
        env.update(self.smtp.env())
        env.update(extra)
        return env

    def test_it_sends_once_with_three_senders_at_the_same_moment(self):
        scan.scan()
        procs = [
            subprocess.Popen([sys.executable, "-c", SEND], cwd=ROOT, env=self.env())
            for _ in range(3)
        ]
        for proc in procs:
            self.assertEqual(proc.wait(60), 0)
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertEqual(Notification.objects.get().status, NotificationStatus.SENT)

    def test_it_sends_no_duplicate_when_a_worker_is_killed_while_sending(self):
        # The mail server takes its time to answer: the worker dies meanwhile.
        self.smtp.delay = 3
        worker = CeleryProcess("worker", env=self.env(ALERT_LEASE_SECONDS="2")).start()
        self.addCleanup(worker.stop)
        worker.wait_ready()
        alerts_tick.delay()
        wait_for(lambda: self.smtp.messages, 60, message="the alert to reach the server")
        worker.kill()
        self.assertEqual(Notification.objects.get().status, NotificationStatus.SENDING)

        self.smtp.delay = 0
        again = CeleryProcess("worker", env=self.env(ALERT_LEASE_SECONDS="2")).start()
        self.addCleanup(again.stop)
        again.wait_ready()

        def failed_after_a_tick():
            # One tick a try: on a busy machine a tick may expire or wait behind others.
            alerts_tick.delay()
            for _ in range(40):
                if Notification.objects.get().status == NotificationStatus.FAILED:
                    return True
                time.sleep(0.25)
            return False

        wait_for(failed_after_a_tick, 120, message="the interrupted row to be marked failed")
        self.assertEqual(len(self.smtp.messages), 1)
        self.assertIn("not sent again", Notification.objects.get().error)

    def test_it_sends_once_when_a_worker_is_killed_before_the_hand_off(self):
        # The mail server's port accepts the connection and never greets: the worker
        # waits for the greeting (nothing of the message can have left) when killed.
        mail = LocalSMTP()
        silent = socket.socket()
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", mail.port))
        silent.listen()
        silent.settimeout(0.25)
        self.addCleanup(silent.close)
        # A timeout longer than the test: the worker is still waiting when it dies.
        smtp_url = {"EMAIL_URL": f"smtp://127.0.0.1:{mail.port}?timeout=60"}
        worker = CeleryProcess("worker", env=self.env(ALERT_LEASE_SECONDS="2", **smtp_url))
        self.addCleanup(worker.stop)
        worker.start().wait_ready()
        alerts_tick.delay()

        def connected():
            try:
                return silent.accept()[0]
            except TimeoutError:
                return None

        waiting = wait_for(connected, 20, message="the worker to connect to the mail server")
        self.addCleanup(waiting.close)
        self.assertEqual(Notification.objects.get().status, NotificationStatus.CLAIMED)
        worker.kill()
        waiting.close()
        silent.close()

        # The same address answers now; another sender once the claim's lease ended.
        mail.start()
        self.addCleanup(mail.stop)
        wait_for(
            lambda: Notification.objects.get().claimed_until < timezone.now(),
            10,
            message="the dead worker's lease to end",
        )
        sender = subprocess.Popen(
            [sys.executable, "-c", SEND],
            cwd=ROOT,
            env=self.env(ALERT_LEASE_SECONDS="2", **smtp_url),
        )
        self.assertEqual(sender.wait(60), 0)
        with mail.overridden():  # one more sender finds nothing left to send
            self.assertEqual(outbox.send_due(), 0)
        self.assertEqual(len(mail.messages), 1)
        self.assertEqual(mail.messages[0]["To"], "alice@example.org")
        row = Notification.objects.get()
        self.assertEqual((row.status, row.error, row.attempts), (NotificationStatus.SENT, "", 2))
        self.assertEqual(self.smtp.messages, [])
