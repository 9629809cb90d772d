"""Instant alerts end to end: scan -> outbox -> a real SMTP server on 127.0.0.1."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from reputation.alerts import outbox, preferences, scan
from reputation.alerts.models import Notification, NotificationStatus
from reputation.orgs.models import Membership
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase
from tests.smtpserver import LocalSMTP


class AlertTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        ctx = self.smtp.overridden()
        ctx.__enter__()
        self.addCleanup(ctx.__exit__, None, None, None)
        self.source = followed_source(self.org)
        self.name = tracked(self.org)

    def run_pipeline(self, at):
        scan.scan(now=at)
        return outbox.send_due(now=at)


class InstantAlertTests(AlertTestCase):
    def test_it_emails_the_owner_in_french_with_the_delay_and_an_unsubscribe_link(self):
        pref = preferences.preference_for(Membership.objects.get(user=self.alice))
        pref.language = "fr"
        pref.save()
        m = mention(self.org, self.source, self.name, title="Pain rassis et accueil glacial")
        self.run_pipeline(timezone.now() + timedelta(seconds=61))

        self.assertEqual(len(self.smtp.messages), 1)
        message = self.smtp.messages[0]
        self.assertIn("alice@example.org", message["To"])
        self.assertIn("nouvelle mention négative", message["Subject"])
        text = self.smtp.text(message)
        self.assertIn("Pain rassis et accueil glacial", text)
        self.assertIn("Publiée", text)
        self.assertIn("avant cet e-mail", text)
        self.assertIn(m.item.url, text)
        self.assertIn("/unsubscribe/", text)
        self.assertIn("Pain rassis et accueil glacial", self.smtp.html(message))
        self.assertIn("/unsubscribe/", message["List-Unsubscribe"])
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

        row = Notification.objects.get()
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertGreaterEqual(row.delay, 600)

    def test_it_writes_english_to_a_member_who_chose_english(self):
        mention(self.org, self.source, self.name)
        self.run_pipeline(timezone.now() + timedelta(seconds=61))
        message = self.smtp.messages[0]
        self.assertIn("new negative mention", message["Subject"])
        self.assertIn("Published", self.smtp.text(message))

    def test_it_groups_ten_negative_mentions_of_a_minute_into_one_email(self):
        now = timezone.now()
        for i in range(10):
            mention(self.org, self.source, self.name, created=now + timedelta(seconds=5 * i))
        # Not yet: the oldest is younger than the grouping window.
        self.run_pipeline(now + timedelta(seconds=30))
        self.assertEqual(self.smtp.messages, [])
        self.run_pipeline(now + timedelta(seconds=61))
        self.assertEqual(len(self.smtp.messages), 1)  # the owner only: defaults
        self.assertIn("10", self.smtp.messages[0]["Subject"])
        self.assertEqual(Notification.objects.get().mentions.count(), 10)
        # A later scan finds nothing new.
        self.run_pipeline(now + timedelta(seconds=200))
        self.assertEqual(len(self.smtp.messages), 1)

    def test_it_does_not_alert_on_old_or_pre_follow_items_nor_on_positive_ones(self):
        mention(self.org, self.source, self.name, published=timezone.now() - timedelta(days=5))
        mention(self.org, self.source, self.name, alertable=False)
        mention(self.org, self.source, self.name, score=0.7, sentiment="positive")
        self.run_pipeline(timezone.now() + timedelta(seconds=61))
        self.assertEqual(self.smtp.messages, [])
        self.assertFalse(Notification.objects.exists())

    def test_it_sends_mild_mentions_to_the_digest_only(self):
        # Mildly negative, a week-old blog post: severity under the default 50.
        mention(
            self.org,
            self.source,
            self.name,
            score=-0.1,
            published=timezone.now() - timedelta(days=2),
        )
        self.run_pipeline(timezone.now() + timedelta(seconds=61))
        self.assertEqual(self.smtp.messages, [])

    def test_it_sends_once_when_the_task_runs_twice(self):
        mention(self.org, self.source, self.name)
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        scan.scan(now=at)
        row = Notification.objects.get()
        self.assertTrue(outbox.send_one(row.pk, at))
        self.assertFalse(outbox.send_one(row.pk, at))
        outbox.send_due(now=at)
        self.assertEqual(len(self.smtp.messages), 1)

    def test_it_resends_a_row_whose_sender_died_before_sending(self):
        mention(self.org, self.source, self.name)
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        row = Notification.objects.get()
        self.assertIsNotNone(Notification.objects.claim(row.pk, at))  # then the worker dies
        outbox.send_due(now=at)
        self.assertEqual(self.smtp.messages, [])  # its lease still holds
        outbox.send_due(now=at + timedelta(minutes=10))
        self.assertEqual(len(self.smtp.messages), 1)

    def test_it_never_resends_a_row_whose_sender_died_while_sending(self):
        mention(self.org, self.source, self.name)
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        row = Notification.objects.get()
        Notification.objects.claim(row.pk, at)
        Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.SENDING)
        outbox.send_due(now=at + timedelta(minutes=10))
        row.refresh_from_db()
        self.assertEqual(self.smtp.messages, [])
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertIn("not sent again", row.error)

    def test_it_retries_while_the_mail_server_is_down_and_delivers_once(self):
        mention(self.org, self.source, self.name)
        self.smtp.stop()
        at = timezone.now() + timedelta(seconds=61)
        self.run_pipeline(at)
        row = Notification.objects.get()
        self.assertEqual(row.status, NotificationStatus.PENDING)
        self.assertIn("mail server", row.error)
        self.assertEqual(row.attempts, 1)
        outbox.send_due(now=at + timedelta(seconds=10))  # too early: backoff
        self.assertEqual(Notification.objects.get().attempts, 1)
        self.smtp.start()
        outbox.send_due(now=at + timedelta(minutes=2))
        outbox.send_due(now=at + timedelta(minutes=30))
        self.assertEqual(len(self.smtp.messages), 1)
        row.refresh_from_db()
        # Its last error stays: the alerts page says it came late, and why.
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertIn("mail server could not be reached", row.error)

    def test_it_gives_up_after_the_last_attempt_and_says_why(self):
        mention(self.org, self.source, self.name)
        self.smtp.stop()
        at = timezone.now() + timedelta(seconds=61)
        scan.scan(now=at)
        with self.settings(ALERT_MAX_ATTEMPTS=2):
            outbox.send_due(now=at)
            outbox.send_due(now=at + timedelta(hours=2))
        row = Notification.objects.get()
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertIn("mail server", row.error)

    def test_it_holds_alerts_during_quiet_hours(self):
        pref = preferences.preference_for(Membership.objects.get(user=self.alice))
        pref.quiet_start, pref.quiet_end = (
            timezone.datetime(2000, 1, 1, 22).time(),
            timezone.datetime(2000, 1, 1, 7).time(),
        )
        pref.save()
        paris = ZoneInfo("Europe/Paris")
        night = timezone.datetime(2026, 3, 10, 23, 0, tzinfo=paris)
        mention(
            self.org,
            self.source,
            self.name,
            published=night - timedelta(minutes=5),
            created=night - timedelta(minutes=2),
        )
        self.run_pipeline(night)
        self.assertEqual(self.smtp.messages, [])
        row = Notification.objects.get()
        self.assertEqual(row.next_attempt, timezone.datetime(2026, 3, 11, 7, 0, tzinfo=paris))
        outbox.send_due(now=timezone.datetime(2026, 3, 11, 6, 59, tzinfo=paris))
        self.assertEqual(self.smtp.messages, [])
        outbox.send_due(now=timezone.datetime(2026, 3, 11, 7, 1, tzinfo=paris))
        self.assertEqual(len(self.smtp.messages), 1)

    def test_it_alerts_members_who_asked_and_only_on_their_names(self):
        competitor = tracked(self.org, "Boulangerie Martin", kind="competitor")
        bob = preferences.preference_for(Membership.objects.get(user=self.bob))
        bob.instant = True
        bob.save()
        # Two negatives in a day of a new organisation are also a spike: not tested here.
        preferences.preference_for(Membership.objects.get(user=self.alice))
        from reputation.alerts.models import AlertPreference

        AlertPreference.objects.update(spikes=False)
        bob.tracked_names.set([competitor])
        mention(self.org, self.source, self.name)
        mention(self.org, self.source, competitor)
        self.run_pipeline(timezone.now() + timedelta(seconds=61))
        to_alice = self.smtp.to("alice@example.org")
        to_bob = self.smtp.to("bob@example.org")
        self.assertEqual((len(to_alice), len(to_bob)), (1, 1))
        self.assertNotIn("Boulangerie Martin", self.smtp.text(to_alice[0]).split("·")[0])
        self.assertEqual(
            Notification.objects.get(preference=bob).mentions.get().tracked_name, competitor
        )
        self.assertFalse(self.smtp.to("vera@example.org"))
        self.assertFalse(self.smtp.to("charlie@example.org"))
