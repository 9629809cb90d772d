"""The alerts page, webhooks and the signed unsubscribe link."""

from django.core import signing

from reputation.alerts import preferences, unsubscribe
from reputation.alerts.models import AlertPreference, DigestFrequency, Notification, Webhook
from reputation.orgs.models import Membership
from tests.base import BaseTestCase


class AlertsPageTests(BaseTestCase):
    def url(self, org=None):
        return f"/org/{(org or self.org).code}/alerts/"

    def test_it_shows_an_owner_the_defaults_on(self):
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertContains(r, "Email me at once about negative mentions")
        pref = AlertPreference.objects.get(membership__user=self.alice)
        self.assertTrue(pref.instant)
        self.assertEqual(pref.digest, DigestFrequency.WEEKLY)
        self.assertContains(r, "Webhooks (Slack, Mattermost)")

    def test_it_gives_a_plain_member_the_weekly_digest_only_and_no_webhooks(self):
        self.login(self.bob)
        r = self.client.get(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "Webhooks (Slack, Mattermost)")
        pref = AlertPreference.objects.get(membership__user=self.bob)
        self.assertEqual(
            (pref.instant, pref.digest, pref.monthly_report),
            (False, DigestFrequency.WEEKLY, False),
        )

    def test_it_saves_a_members_own_preferences(self):
        self.login(self.viewer)
        r = self.client.post(
            self.url(),
            {
                "instant": "on",
                "threshold": "30",
                "digest": "daily",
                "language": "en",
                "quiet_start": "22:00",
                "quiet_end": "07:00",
            },
        )
        self.assertRedirects(r, self.url())
        pref = AlertPreference.objects.get(membership__user=self.viewer)
        self.assertEqual((pref.instant, pref.threshold, pref.digest), (True, 30, "daily"))
        self.assertEqual(pref.quiet_start.hour, 22)

    def test_it_refuses_half_quiet_hours(self):
        self.login(self.alice)
        r = self.client.post(
            self.url(),
            {"threshold": "50", "digest": "off", "language": "fr", "quiet_start": "22:00"},
        )
        self.assertContains(r, "Give both ends of the quiet hours")

    def test_it_is_404_for_outsiders(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_asks_to_log_in_when_logged_out(self):
        self.assertEqual(self.client.get(self.url()).status_code, 302)

    def test_it_lets_only_admins_add_webhooks(self):
        url = self.url() + "webhooks/"
        self.login(self.bob)
        self.assertEqual(
            self.client.post(url, {"url": "https://hooks.example.org/x"}).status_code, 403
        )
        self.login(self.viewer)
        self.assertEqual(
            self.client.post(url, {"url": "https://hooks.example.org/x"}).status_code, 403
        )
        self.login(self.charlie)
        self.assertEqual(
            self.client.post(url, {"url": "https://hooks.example.org/x"}).status_code, 404
        )
        self.assertFalse(Webhook.objects.exists())
        self.login(self.alice)
        self.client.post(url, {"url": "https://hooks.example.org/x"})
        self.assertEqual(Webhook.objects.get().organisation, self.org)

    def test_it_saves_the_application_that_reads_the_webhook(self):
        self.login(self.alice)
        hook = {"url": "https://chat.example.org/hooks/x", "kind": "mattermost"}
        self.client.post(self.url() + "webhooks/", hook)
        self.assertEqual(Webhook.objects.get().kind, "mattermost")

    def test_it_refuses_a_webhook_to_a_private_address(self):
        self.login(self.alice)
        with self.settings(FETCH_ALLOW_PRIVATE_ADDRESSES=False):
            self.client.post(self.url() + "webhooks/", {"url": "http://10.0.0.1/hook"})
        self.assertFalse(Webhook.objects.exists())

    def test_it_does_not_let_an_outsider_delete_a_webhook(self):
        hook = Webhook.objects.create(organisation=self.org, url="https://hooks.example.org/x")
        self.login(self.charlie)
        url = f"/org/{self.other_org.code}/alerts/webhooks/{hook.code}/delete/"
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(Webhook.objects.exists())

    def test_it_shows_failures(self):
        pref = preferences.preference_for(Membership.objects.get(user=self.alice))
        Notification.objects.create(
            organisation=self.org,
            preference=pref,
            kind="instant",
            status="failed",
            error="mail server: refused",
        )
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertContains(r, "1 notification could not be sent.")
        self.assertContains(r, "mail server: refused")


class UnsubscribeTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.pref = preferences.preference_for(Membership.objects.get(user=self.alice))

    def test_it_turns_instant_alerts_off_in_one_click(self):
        path = unsubscribe.url(self.pref, "instant").split("8000", 1)[-1]
        r = self.client.get(path)
        self.assertContains(r, "Stop instant alerts about Alice &amp; Co?")
        self.pref.refresh_from_db()
        self.assertTrue(self.pref.instant)  # a GET (link scanners) changes nothing
        r = self.client.post(path)
        self.assertContains(r, "You will no longer receive these emails")
        self.pref.refresh_from_db()
        self.assertFalse(self.pref.instant)
        self.assertEqual(self.pref.digest, DigestFrequency.WEEKLY)

    def test_it_accepts_the_mail_clients_one_click_post(self):
        path = unsubscribe.url(self.pref, "digest").split("8000", 1)[-1]
        self.client.post(path, {"List-Unsubscribe": "One-Click"})
        self.pref.refresh_from_db()
        self.assertEqual(self.pref.digest, DigestFrequency.OFF)

    def test_it_refuses_a_forged_link(self):
        token = unsubscribe.make_token(self.pref, "instant")
        bob = preferences.preference_for(Membership.objects.get(user=self.bob))
        forged = [
            token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
            signing.dumps([str(bob.code), "instant"], salt="another-salt"),
            signing.dumps([str(bob.code), "instant"], key="not-our-secret", salt=unsubscribe.SALT),
        ]
        for bad in forged:
            r = self.client.post(f"/unsubscribe/{bad}/")
            self.assertEqual(r.status_code, 400)
            self.assertContains(r, "This link is not valid", status_code=400)
        self.pref.refresh_from_db()
        bob.refresh_from_db()
        self.assertTrue(self.pref.instant)
