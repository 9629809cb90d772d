"""A worker killed (SIGKILL) in the middle of a poll: one source of its batch done,
another's answer still awaited. A new worker finishes the job: every due source
polled, each mention once, and the sources page says meanwhile that the poll is under
way and when it will be done again if it was interrupted."""

import time

import pytest
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from monitoring.pipeline import tasks
from reputation.orgs.models import Membership, Role
from tests.base import make_user
from tests.faults.scene import (
    Feeds,
    mentions_per_feed,
    nothing_doubled,
    organisation_following,
    successful_polls,
)
from tests.httpserver import LocalServer
from tests.worker import CeleryProcess, purge_broker, wait_for

LEASE = 30  # seconds the killed worker's claim lasts: past the page check below
UNDER_WAY = "under way (if interrupted, again within"


@pytest.mark.slow
@override_settings(POLL_LEASE_SECONDS=LEASE)
class WorkerKilledTests(TransactionTestCase):
    def setUp(self):
        purge_broker()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)

    def start_worker(self) -> CeleryProcess:
        # With Redis, the killed worker's unacknowledged message comes back after 3 s.
        env = {"POLL_LEASE_SECONDS": str(LEASE), "CELERY_VISIBILITY_TIMEOUT": "3"}
        # The held answer waits for the kill: no fetch timeout may end it first.
        env.update(FETCH_READ_TIMEOUT="60", FETCH_TOTAL_TIMEOUT="90")
        worker = CeleryProcess("worker", env=env).start()
        self.addCleanup(worker.stop)
        return worker.wait_ready()

    def test_it_polls_every_source_once_after_a_worker_is_killed_mid_poll(self):
        feeds = Feeds(self.server, ["a", "b"])
        org, sources = organisation_following(feeds)
        alice = make_user("alice@example.org")
        Membership.objects.create(user=alice, organisation=org, role=Role.OWNER)
        self.client.force_login(alice)
        page = reverse("sources", args=[org.code])

        feeds.hold("b")
        first = self.start_worker()
        tasks.dispatch_due_sources()  # a and b, one task
        wait_for(feeds.waiting.is_set, 30, message="b's fetch\n" + first.output()[-3000:])
        wait_for(lambda: successful_polls(sources)["a"] == 1, 30, message="a's poll")
        first.kill()
        feeds.release()

        # The dead worker still holds b: the page says so, and when it will be retried.
        self.assertContains(self.client.get(page), UNDER_WAY, count=1)
        self.assertEqual(mentions_per_feed(org, sources), {"a": 2, "b": 0})

        second = self.start_worker()

        def b_polled():
            tasks.dispatch_due_sources()  # beat's tick: claims b once its lease ends
            return successful_polls(sources)["b"] == 1

        wait_for(b_polled, 60, interval=1, message="b's poll\n" + second.output()[-3000:])
        time.sleep(2)  # a late redelivery or second claim would show now
        tasks.dispatch_due_sources()
        self.assertEqual(successful_polls(sources), {"a": 1, "b": 1})
        self.assertEqual(mentions_per_feed(org, sources), {"a": 2, "b": 2})
        nothing_doubled(self)
        self.assertNotContains(self.client.get(page), UNDER_WAY)
