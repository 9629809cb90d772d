"""Two worker machines split a polling round without polling any source twice.

Two real Celery workers, each a "machine" of its own (its own process and VAR_DIR),
share one PostgreSQL database and one Redis broker, as two servers of a deployment
do. Both take dispatch ticks at the same moment (two beats, or a tick redelivered)
and then the poll tasks; the local HTTP server counts the requests each feed gets.
"""

import os
import re
import tempfile
import threading
import time

import pytest
from django.db import connection
from django.test import TransactionTestCase

from monitoring.models import PollLog, Source
from monitoring.net import robots
from monitoring.pipeline.tasks import dispatch_due_sources
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source
from tests.httpserver import LocalServer
from tests.worker import CeleryProcess, purge_broker, wait_for

SOURCES = 60
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
POLLED = re.compile(r"Task monitoring\.pipeline\.tasks\.poll_sources\[[^\]]+\] succeeded")


def feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Nouvelle {n}-{k}</title><link>https://site{n}.example.fr/{k}</link>"
        f"<guid>feed-{n}-{k}</guid><description>Texte {n}-{k}</description></item>"
        for k in range(2)
    )
    channel = f"<channel><title>{n}</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postg"),
    reason="two machines share a PostgreSQL server and a Redis broker: DATABASE_URL "
    "(PostgreSQL) and REDIS_URL needed",
)
class TwoMachinesTests(TransactionTestCase):
    def setUp(self):
        assert connection.vendor == "postgresql"
        purge_broker()
        robots.clear_cache()
        self.server = LocalServer()
        self.lock = threading.Lock()
        self.asked: dict[str, int] = {}
        for n in range(SOURCES):
            self.server.route(f"/feed/{n}.xml", handler=self.answer(feed(n)))
        self.server.start()
        self.addCleanup(self.server.stop)
        org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        for n in range(SOURCES):
            follow_source(org, self.server.url(f"/feed/{n}.xml"))

    def answer(self, body: bytes):
        def handle(req):
            with self.lock:
                self.asked[req.path] = self.asked.get(req.path, 0) + 1
            time.sleep(0.05)  # a site takes its time: the machines' polls overlap
            return 200, RSS, body

        return handle

    def machine(self, name: str) -> CeleryProcess:
        var_dir = self.enterContext(tempfile.TemporaryDirectory(prefix=f"machine-{name}-"))
        # Small batches: the round is a dozen poll tasks for the two to share.
        worker = CeleryProcess("worker", env={"VAR_DIR": var_dir, "POLL_DISPATCH_BATCH": "5"})
        self.addCleanup(worker.stop)
        return worker.start()

    def test_it_splits_a_round_between_two_machines_without_polling_a_source_twice(self):
        machines = [self.machine("a"), self.machine("b")]
        for worker in machines:
            worker.wait_ready()

        # Both machines take a tick at once, and a third comes while they poll.
        for _ in range(3):
            dispatch_due_sources.delay()
        wait_for(
            lambda: PollLog.objects.values("source").distinct().count() == SOURCES,
            120,
            message="every source to be polled",
        )
        dispatch_due_sources.delay()  # nothing is due any more
        time.sleep(3)

        logs = list(PollLog.objects.values_list("source_id", "error"))
        self.assertEqual(len(logs), SOURCES)
        self.assertEqual(
            {source for source, _ in logs}, set(Source.objects.values_list("pk", flat=True))
        )
        self.assertEqual([error for _, error in logs if error], [])
        self.assertEqual(
            self.asked, {f"/feed/{n}.xml": 1 for n in range(SOURCES)}, "each feed asked for once"
        )
        self.assertFalse(Source.objects.filter(lease_token__isnull=False).exists())
        # The round was shared: each machine polled batches of it.
        tasks = [len(POLLED.findall(worker.output())) for worker in machines]
        self.assertTrue(all(tasks), tasks)
        self.assertGreaterEqual(sum(tasks), SOURCES // 5)
