"""beat killed and started again (issue 22): with its schedule file, and with the
file lost (a container without its volume).

A real beat and a real worker on the test database and the run's broker; beat's
dispatch every second so that the test takes seconds. What must hold: a source that
fell due while beat was down is polled at its first tick, once, and the others are
not polled again; the daily digest is sent once: not again by a restarted beat that
remembers it ran (the file is written after every task sent), and a beat that lost
its file runs it at once instead of an hour later, and that run creates nothing new.
"""

import tempfile
import time
from datetime import timedelta

import pytest
from django.test import TransactionTestCase
from django.utils import timezone

from monitoring.models import Source
from reputation.alerts.models import AlertPreference, DigestFrequency, Notification
from reputation.orgs.models import Membership, Role
from tests.alerts_data import mention, tracked
from tests.base import make_user
from tests.faults.scene import (
    Feeds,
    mentions_per_feed,
    nothing_doubled,
    organisation_following,
    successful_polls,
)
from tests.httpserver import LocalServer
from tests.smtpserver import LocalSMTP
from tests.worker import CeleryProcess, purge_broker, wait_for

DIGESTS = "alerts-digests (reputation.alerts.tasks.create_digests)"


@pytest.mark.slow
class BeatRestartTests(TransactionTestCase):
    def setUp(self):
        purge_broker()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        self.feeds = Feeds(self.server, ["a", "b", "c"])
        self.org, self.sources = organisation_following(self.feeds)
        owner = make_user("owner@example.org")
        membership = Membership.objects.create(user=owner, organisation=self.org, role=Role.OWNER)
        AlertPreference.objects.create(
            membership=membership, digest=DigestFrequency.DAILY, instant=False, spikes=False
        )
        # Yesterday's news: the daily digest has something to say.
        yesterday = timezone.now() - timedelta(days=1)
        mention(self.org, self.sources["a"], tracked(self.org), published=yesterday)
        Source.objects.filter(pk=self.sources["c"].pk).update(
            next_fetch_at=timezone.now() + timedelta(hours=1)
        )

    def start(self, kind: str, schedule: str = "", ready: bool = True) -> CeleryProcess:
        env = {"POLL_DISPATCH_EVERY": "1", "ALERT_DIGEST_HOUR": "0", **self.smtp.env()}
        proc = CeleryProcess(kind, env=env, schedule=schedule).start()
        self.addCleanup(proc.stop)
        return proc.wait_ready() if ready else proc

    def digests(self) -> int:
        return sum(m["X-Alert-Kind"] == "digest" for m in self.smtp.messages)

    def test_it_neither_skips_nor_doubles_a_run_when_beat_is_killed_and_started_again(self):
        schedule = tempfile.mkdtemp(prefix="beat-") + "/schedule"
        worker = self.start("worker", ready=False)  # both start at once
        first = self.start("beat", schedule)
        worker.wait_ready()

        def log():
            return "\n" + worker.output()[-3000:]

        wait_for(lambda: self.digests() == 1, 60, message="the digest" + log())
        wait_for(lambda: successful_polls(self.sources)["b"] == 1, 60, message="b" + log())
        first.kill()  # SIGKILL: nothing written on the way out

        # c falls due while beat is down: the restarted beat's first tick polls it.
        Source.objects.filter(pk=self.sources["c"].pk).update(next_fetch_at=timezone.now())
        again = self.start("beat", schedule)
        wait_for(lambda: successful_polls(self.sources)["c"] == 1, 60, message="c" + log())
        self.assertNotIn(DIGESTS, again.output())  # the file knew it ran
        again.stop()

        # The file lost: the digests run at once (not an hour later), and add nothing.
        ran = worker.output().count("create_digests[")
        lost = self.start("beat")
        wait_for(lambda: DIGESTS in lost.output(), 30, message="beat's catch-up run")
        wait_for(
            lambda: worker.output().count("create_digests[") >= ran + 2,  # received, done
            30,
            message="the digests' second run" + log(),
        )
        time.sleep(2)  # a second digest or a doubled poll would show now
        self.assertEqual(self.digests(), 1)
        self.assertEqual(Notification.objects.filter(kind="digest").count(), 1)
        self.assertEqual(successful_polls(self.sources), {"a": 1, "b": 1, "c": 1})
        self.assertEqual(mentions_per_feed(self.org, self.sources), {"a": 3, "b": 2, "c": 2})
        nothing_doubled(self)
        self.assertIsNone(worker.proc.poll(), log())
