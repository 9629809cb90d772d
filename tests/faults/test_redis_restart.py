"""Redis restarted with polls queued, and again under a running worker and beat;
with alert tasks queued, and during an alert's send.

A private redis-server (never the machine's): with the append-only file, as
docker-compose.yml runs it, the queued polls survive the restart; without it they
are lost, and the polls still happen, only later: which sources are due is read from
the database (Source.next_fetch_at and its lease), never from the queue, so once the
lease of a lost message ends the next dispatch claims the source again. Alerts
likewise: the outbox is in the database, a queued task only says "send now", and a
task run twice (a redelivered message) finds the row taken or sent.
"""

import time
from datetime import timedelta

import pytest
from celery import Celery
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Source
from monitoring.pipeline import poll
from reputation.alerts import scan
from reputation.alerts.models import Notification, NotificationStatus
from reputation.orgs.models import Membership, Role
from tests.alerts_data import followed_source, mention, tracked
from tests.base import make_user
from tests.faults.scene import (
    Feeds,
    mentions_per_feed,
    nothing_doubled,
    organisation_following,
    successful_polls,
)
from tests.faults.services import PrivateRedis, redis_missing
from tests.httpserver import LocalServer
from tests.smtpserver import LocalSMTP
from tests.worker import CeleryProcess, wait_for

POLL = "monitoring.pipeline.tasks.poll_sources"
TICK = "reputation.alerts.tasks.alerts_tick"
DELIVER = "reputation.webhooks.tasks.deliver"  # "send this row now" (a redelivery)
# Seconds a dispatch's claim lasts: a lost message delays its sources this long. The
# claims the test waits on last longer than a first poll by a cold worker on a busy
# machine, so that no claim ends under a poll (in production POLL_LEASE_SECONDS is
# kept above the task's time limit for the same reason).
SHORT_LEASE = 8
LONG_LEASE = 60


@pytest.mark.slow
@pytest.mark.skipif(bool(redis_missing()), reason=redis_missing() or "-")
class RedisRestartTests(TransactionTestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.feeds = Feeds(self.server, ["a", "b", "c"])
        self.org, self.sources = organisation_following(self.feeds)

    def start_redis(self, appendonly: bool) -> PrivateRedis:
        self.redis = PrivateRedis(appendonly).start()
        self.addCleanup(self.redis.cleanup)
        return self.redis

    def start(self, kind: str, **env) -> CeleryProcess:
        env = {
            "REDIS_URL": self.redis.url,
            "CELERY_BROKER_URL": self.redis.url,
            "POLL_LEASE_SECONDS": str(LONG_LEASE),
            **env,
        }
        proc = CeleryProcess(kind, env=env).start()
        self.addCleanup(proc.stop)
        return proc.wait_ready()

    def queue_polls(self, lease: int) -> int:
        """Beat's dispatch, run here: the due sources are claimed (leased in the
        database) and one poll message per source is queued in Redis."""
        with override_settings(POLL_LEASE_SECONDS=lease, POLL_DISPATCH_BATCH=1):
            tokens = poll.claim_due_batches()
        # Not the current app: the other tests' tasks keep their own broker.
        broker = Celery(broker=self.redis.url, set_as_current=False)
        for token in tokens:
            broker.send_task(POLL, args=[token])
        broker.close()
        return len(tokens)

    def send_tasks(self, *tasks) -> None:
        broker = Celery(broker=self.redis.url, set_as_current=False)
        for name, args in tasks:
            broker.send_task(name, args=args)
        broker.close()

    def queued(self) -> int:
        return self.redis.client().llen("celery")

    def healthz(self):
        with override_settings(CELERY_BROKER_URL=self.redis.url):
            return self.client.get(reverse("healthz"))

    def assert_polled_once_each(self, worker):
        everything = {name: 1 for name in self.sources}
        wait_for(
            lambda: successful_polls(self.sources) == everything,
            timeout=60,
            message="every due source to be polled\n" + worker.output()[-3000:],
        )
        time.sleep(2)  # a late redelivery or a second claim would show now
        self.assertEqual(successful_polls(self.sources), everything)
        self.assertEqual(mentions_per_feed(self.org, self.sources), {"a": 2, "b": 2, "c": 2})
        nothing_doubled(self)

    def assert_survives_a_restart_while_running(self, worker, crash: bool):
        """Redis goes away under a running worker: /healthz names the broker meanwhile,
        the worker reconnects, and the next due poll happens once."""
        self.redis.stop(kill=crash)
        outage = self.healthz()
        self.assertEqual(outage.status_code, 503)
        self.assertEqual(outage.content, b"unavailable: broker")
        time.sleep(2)  # the worker notices the outage
        self.redis.start()
        self.assertEqual(self.healthz().status_code, 200)

        self.feeds.add_item("a")
        Source.objects.filter(pk=self.sources["a"].pk).update(next_fetch_at=timezone.now())
        self.assertEqual(self.queue_polls(LONG_LEASE), 1)  # beat's next tick
        wait_for(
            lambda: successful_polls(self.sources)["a"] == 2,
            timeout=60,
            message="the poll after the restart\n" + worker.output()[-3000:],
        )
        self.assertEqual(mentions_per_feed(self.org, self.sources), {"a": 3, "b": 2, "c": 2})
        self.assertIsNone(worker.proc.poll())
        nothing_doubled(self)

    def test_it_keeps_the_queued_polls_across_a_restart_with_the_append_only_file(self):
        self.start_redis(appendonly=True)
        self.assertEqual(self.queue_polls(LONG_LEASE), 3)
        self.assertEqual(self.queued(), 3)
        self.redis.restart()  # SIGTERM: Redis writes its append-only file and stops
        self.assertEqual(self.queued(), 3)
        self.assertEqual(self.healthz().status_code, 200)

        worker = self.start("worker")
        self.assert_polled_once_each(worker)
        self.assert_survives_a_restart_while_running(worker, crash=False)

    def test_it_polls_every_due_source_once_when_a_restart_loses_the_queue(self):
        self.start_redis(appendonly=False)
        self.assertEqual(self.queue_polls(SHORT_LEASE), 3)
        self.redis.restart(kill=True)  # a crash of a Redis without persistence
        self.assertEqual(self.queued(), 0)  # the polls' messages are gone...
        self.assertEqual(self.queue_polls(LONG_LEASE), 0)  # ... their sources still claimed

        worker = self.start("worker")
        # The sources are still due in the database: once their leases end, the next
        # dispatch claims each of them again, and each is polled once.
        claimed = Source.objects.order_by("-leased_until").first().leased_until
        time.sleep(max(0.0, (claimed - timezone.now()).total_seconds()) + 0.5)
        self.assertEqual(self.queue_polls(LONG_LEASE), 3)
        self.assert_polled_once_each(worker)
        self.assert_survives_a_restart_while_running(worker, crash=True)

    def test_it_sends_each_alert_once_across_restarts_with_tasks_queued_and_mid_send(self):
        self.start_redis(appendonly=True)
        smtp = LocalSMTP().start()
        self.addCleanup(smtp.stop)
        owner = make_user("owner@example.org")
        Membership.objects.create(user=owner, organisation=self.org, role=Role.OWNER)
        source, name = followed_source(self.org), tracked(self.org)

        def alert() -> Notification:
            mention(self.org, source, name, created=timezone.now() - timedelta(minutes=2))
            scan.scan()
            return Notification.objects.get(status=NotificationStatus.PENDING)

        # 1. Alert tasks queued (beat's ticks, an admin's "send now"), Redis restarted
        # before any worker takes them: kept by the append-only file; three tasks for
        # one row send it once.
        first = alert()
        self.send_tasks((TICK, []), (DELIVER, [first.pk]), (TICK, []))
        self.redis.restart()
        self.assertEqual(self.queued(), 3)
        # A redelivered message (the visibility timeout) comes back within the test.
        worker = self.start("worker", CELERY_VISIBILITY_TIMEOUT="3", **smtp.env())
        wait_for(lambda: len(smtp.messages) == 1, 60, message="the alert" + worker.output())

        # 2. Redis crashes while the worker is sending (the mail server has the message,
        # its answer is held), and comes back: the send completes, once, and a
        # redelivered task finds the row sent.
        second = alert()
        data = smtp.inbox.hold("DATA")
        self.send_tasks((DELIVER, [second.pk]))
        self.assertTrue(data.arrived.wait(60), worker.output()[-3000:])
        self.redis.restart(kill=True)
        data.released.set()
        wait_for(
            lambda: Notification.objects.filter(pk=second.pk, status="sent").exists(),
            60,
            message="the interrupted send to complete" + worker.output()[-3000:],
        )
        self.send_tasks((TICK, []), (DELIVER, [second.pk]))  # beat's next tick, a retry
        wait_for(lambda: self.queued() == 0, 30, message="the worker to take them")
        time.sleep(4)  # past the visibility timeout: a late redelivery would show now
        self.assertEqual(len(smtp.messages), 2)
        for row in (first, second):
            row.refresh_from_db()
            self.assertEqual((row.status, row.attempts, row.error), ("sent", 1, ""))
        self.assertIsNone(worker.proc.poll(), worker.output()[-3000:])
        self.client.force_login(owner)
        page = self.client.get(reverse("alerts", args=[self.org.code])).content.decode()
        self.assertNotIn("could not be sent", page)
