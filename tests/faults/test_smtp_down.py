"""The mail server down for ten minutes while alerts keep coming (issue 22).

The real SMTP server of tests/smtpserver.py is stopped (connections refused) while
beat's `alerts-tick` runs every simulated minute and new negative mentions keep
arriving; then it starts again. Every alert arrives exactly once, nothing is lost,
and the alerts page says what was delayed and why.
"""

import html
from collections import Counter
from datetime import timedelta

from django.utils import translation

from reputation.alerts import tasks, transports
from reputation.alerts.models import Notification, NotificationKind, NotificationStatus
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.faults.clock import Clock
from tests.smtpserver import LocalSMTP

OUTAGE_MINUTES = 10


class MailServerDownTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        self.enterContext(self.smtp.overridden())
        self.clock = Clock()
        self.enterContext(self.clock.running())

    def tick(self, minutes: int = 1) -> None:
        """What beat's alerts-tick does every minute, then a minute passes."""
        tasks.alerts_tick()
        self.clock.advance(minutes=minutes)

    def test_it_sends_every_alert_once_after_ten_minutes_without_mail_server(self):
        ours = (followed_source(self.org), tracked(self.org))
        theirs = (followed_source(self.other_org), tracked(self.other_org, "Charlie Inc"))
        titles = {self.alice.email: [], self.charlie.email: []}
        self.smtp.stop()
        for minute in range(OUTAGE_MINUTES):
            if minute % 3 == 0:  # bad news keeps coming during the outage
                for (source, name), who in ((ours, self.alice), (theirs, self.charlie)):
                    org = self.org if who is self.alice else self.other_org
                    title = f"Accueil glacial n°{minute} pour {who.email}"
                    mention(org, source, name, title=title)
                    titles[who.email].append(title)
            self.tick()

        self.assertEqual(self.smtp.messages, [])
        waiting = Notification.objects.all()
        self.assertTrue(waiting.exists())
        for row in waiting:
            self.assertEqual(row.status, NotificationStatus.PENDING, row)
            self.assertEqual(row.error, transports.MAIL_UNREACHABLE)
        # Backoff 1, 2, 4... minutes: the first alert was tried at minutes 1, 2, 4, 8.
        self.assertLessEqual(max(r.attempts for r in waiting), 4)

        self.login(self.alice)
        page = self.client.get(f"/org/{self.org.code}/alerts/").content.decode()
        self.assertIn("The mail server could not be reached", page)
        self.assertIn("failed; next attempt", page)
        french = self.client.get(f"/org/{self.org.code}/alerts/", HTTP_ACCEPT_LANGUAGE="fr")
        french = html.unescape(french.content.decode())
        self.assertIn("Le serveur de mail n'a pas pu être joint", french)
        self.assertIn("a échoué\u202f; prochaine tentative le", french)
        translation.deactivate()  # the test client leaves the request's language active

        self.smtp.start()
        restarted = self.clock.now()
        ticks = 0
        while Notification.objects.exclude(status=NotificationStatus.SENT).exists():
            self.tick()
            ticks += 1
            self.assertLess(ticks, 20, "the outbox must catch up within its backoff (<= 8 min)")

        # Exactly once: as many emails as notifications, per person and kind, and
        # each bad mention in exactly one instant alert of its organisation's owner.
        rows = Notification.objects.select_related("preference__membership__user")
        expected = Counter((r.preference.membership.user.email, r.kind) for r in rows)
        received = Counter((str(m["To"]), m["X-Alert-Kind"]) for m in self.smtp.messages)
        self.assertEqual(received, expected)
        for email, sent_titles in titles.items():
            alerts = [
                self.smtp.text(m)
                for m in self.smtp.to(email)
                if m["X-Alert-Kind"] == NotificationKind.INSTANT
            ]
            for title in sent_titles:
                self.assertEqual(sum(text.count(title) for text in alerts), 1, title)
        for row in rows:
            self.assertGreaterEqual(row.sent_at, restarted)
            if row.created < restarted - timedelta(minutes=1):  # it met the outage
                self.assertGreater(row.attempts, 1)
                self.assertIsNotNone(row.late)

        page = self.client.get(f"/org/{self.org.code}/alerts/").content.decode()
        self.assertIn("late, at attempt", page)
        self.assertIn("The mail server could not be reached", page)
        self.assertNotIn("could not be sent", page)  # nothing failed for good
        french = self.client.get(f"/org/{self.org.code}/alerts/", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertIn("de retard, à la tentative", html.unescape(french.content.decode()))
