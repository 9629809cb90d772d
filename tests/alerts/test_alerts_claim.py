"""Notification.objects.claim(): of senders racing for one outbox row, one wins.
Real threads and connections, on SQLite or PostgreSQL (DATABASE_URL)."""

import threading
from datetime import timedelta

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from reputation.alerts.models import Notification, NotificationKind, NotificationStatus
from reputation.orgs.models import Organisation

ROWS = 8
SENDERS = 2


class ClaimTestCase(TransactionTestCase):
    def setUp(self):
        self.org = Organisation.objects.create(slug="dupont", name="Dupont")
        self.now = timezone.now() + timedelta(seconds=1)  # after the rows are due

    def race(self, pk) -> list:
        barrier = threading.Barrier(SENDERS)
        tokens, errors = [], []

        def sender():
            try:
                barrier.wait(timeout=10)
                tokens.append(Notification.objects.claim(pk, self.now))
            except Exception as exc:  # noqa: BLE001 (reported by the test)
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(errors, [])
        return tokens

    def test_it_takes_a_row_once_under_two_concurrent_claimers(self):
        for _ in range(ROWS):
            row = Notification.objects.create(organisation=self.org, kind=NotificationKind.DIGEST)
            tokens = self.race(row.pk)
            won = [t for t in tokens if t is not None]
            self.assertEqual(len(tokens), SENDERS)
            self.assertEqual(len(won), 1, tokens)
            row.refresh_from_db()
            self.assertEqual(row.status, NotificationStatus.CLAIMED)
            self.assertEqual(row.claim_token, won[0])
            self.assertEqual(row.attempts, 1)

    def test_it_lets_a_row_be_claimed_again_once_its_lease_ran_out(self):
        row = Notification.objects.create(organisation=self.org, kind=NotificationKind.DIGEST)
        first = Notification.objects.claim(row.pk, self.now)
        self.assertIsNotNone(first)
        self.assertIsNone(Notification.objects.claim(row.pk, self.now + timedelta(seconds=1)))
        later = self.now + timedelta(hours=1)
        second = Notification.objects.claim(row.pk, later)
        self.assertNotIn(second, (None, first))
        # The first sender's token no longer holds the row: it cannot start sending.
        self.assertFalse(Notification.objects.held(row.pk, first).exists())
        self.assertTrue(Notification.objects.held(row.pk, second).exists())
