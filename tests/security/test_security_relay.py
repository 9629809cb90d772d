"""Issue 17, points 7 and 8: sign-up, invitations and password resets are no spam
relay (limits per client, address, account and organisation, counted on a real SMTP
server), say nothing about who has an account, and build their links on SITE_ROOT."""

import re

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from reputation.accounts.models import Invitation
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import BaseTestCase
from tests.smtpserver import LocalSMTP

STRONG = "correct-horse-battery-staple"
SITE_ROOT = "https://veille.example.fr"


@override_settings(SITE_ROOT=SITE_ROOT)
class RelayTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.smtp = LocalSMTP().start()
        self.addCleanup(self.smtp.stop)
        overridden = override_settings(**self.smtp.settings)
        overridden.enable()
        self.addCleanup(overridden.disable)

    def links(self, message) -> list[str]:
        return re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())


class ResetTestCase(RelayTestCase):
    def reset(self, email, ip="10.0.0.1", **extra):
        return self.client.post(
            reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **extra
        )

    def test_it_builds_the_reset_link_on_site_root_whatever_the_host(self):
        response = self.reset("bob@example.org", HTTP_HOST="127.0.0.1:9999")
        self.assertRedirects(
            response, reverse("password_reset_done"), fetch_redirect_response=False
        )
        [message] = self.smtp.messages
        [link] = self.links(message)
        self.assertTrue(link.startswith(SITE_ROOT + "/accounts/password/reset/"), link)
        self.assertNotIn("9999", message.get_body(("plain",)).get_content())

    def test_it_limits_resets_per_address(self):
        statuses = [self.reset("Bob@example.org", ip=f"10.0.1.{n}").status_code for n in range(6)]
        self.assertEqual(statuses, [302, 302, 302, 429, 429, 429])
        self.assertEqual(len(self.smtp.messages), 3)
        response = self.reset("bob@example.org", ip="10.0.2.1")
        self.assertContains(response, "Too many password resets", status_code=429)

    def test_it_limits_resets_per_client_and_answers_the_same_for_unknown_addresses(self):
        statuses = [self.reset(f"nobody{n}@example.org").status_code for n in range(10)]
        self.assertEqual(statuses, [302] * 10)  # no account: same answer, no email
        self.assertEqual(len(self.smtp.messages), 0)
        self.assertEqual(self.reset("bob@example.org").status_code, 429)
        self.assertEqual(len(self.smtp.messages), 0)
        self.assertEqual(self.reset("bob@example.org", ip="10.0.9.9").status_code, 302)
        self.assertEqual(len(self.smtp.messages), 1)


class SignupTestCase(RelayTestCase):
    def sign_up(self, email, ip="10.0.0.1", organisation="Spam & Co: buy now"):
        data = {"organisation": organisation, "email": email, "password": STRONG}
        return self.client.post(reverse("signup"), data, REMOTE_ADDR=ip)

    def test_it_answers_the_same_whether_an_account_exists(self):
        known = self.sign_up("Alice@Example.org")
        unknown = self.sign_up("nobody@example.org", ip="10.0.0.2")
        self.assertEqual(known.status_code, unknown.status_code)
        for response in (known, unknown):
            self.assertContains(response, "Check your email")
            self.assertNotContains(response, "already")
        # The owner of the known address is told, with no link to create anything.
        [to_alice] = self.smtp.to("alice@example.org")
        self.assertIn("already has an account", to_alice.get_body(("plain",)).get_content())
        self.assertEqual(self.links(to_alice), [SITE_ROOT + reverse("login")])
        [to_nobody] = self.smtp.to("nobody@example.org")
        [link] = self.links(to_nobody)
        self.assertTrue(link.startswith(SITE_ROOT + "/signup/confirm/"), link)
        # What was typed never reaches the mailbox of the address typed.
        for message in self.smtp.messages:
            text = str(message["Subject"]) + message.get_body(("plain",)).get_content()
            self.assertNotIn("Spam", text)
        self.assertFalse(Organisation.objects.filter(name__startswith="Spam").exists())

    def test_it_limits_sign_ups_per_client_address(self):
        statuses = [self.sign_up(f"v{n}@example.org").status_code for n in range(20)]
        self.assertEqual(statuses, [200] * 5 + [429] * 15)
        self.assertEqual(len(self.smtp.messages), 5)
        self.assertContains(self.sign_up("x@example.org"), "Too many sign-ups", status_code=429)
        self.assertEqual(self.sign_up("x@example.org", ip="10.0.0.9").status_code, 200)

    def test_it_limits_sign_ups_per_email_address(self):
        statuses = [
            self.sign_up("victim@example.org", ip=f"10.0.1.{n}").status_code for n in range(6)
        ]
        self.assertEqual(statuses, [200] * 3 + [429] * 3)
        self.assertEqual(len(self.smtp.to("victim@example.org")), 3)

    def test_it_refuses_look_alike_addresses(self):
        response = self.sign_up("v-member@v\u0131ctim.test".replace("v-member", "v\u0131ctor"))
        self.assertContains(response, "letters that look alike")
        self.assertEqual(len(self.smtp.messages), 0)


class InvitationTestCase(RelayTestCase):
    def invite(self, n, org=None):
        org = org or self.org
        return self.client.post(
            reverse("member-invite", args=[org.code]),
            {"email": f"target{n}@example.org", "role": "member"},
        )

    def test_it_limits_invitations_per_account(self):
        self.login(self.alice)
        for n in range(25):
            self.invite(n)
        self.assertEqual(len(self.smtp.messages), 20)
        self.assertEqual(Invitation.objects.count(), 20)
        response = self.client.get(reverse("members", args=[self.org.code]))
        self.assertContains(response, "Too many invitations this hour")

    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "invite_per_org": 4})
    def test_it_limits_invitations_per_organisation(self):
        Membership.objects.create(user=self.charlie, organisation=self.org, role=Role.ADMIN)
        self.login(self.alice)
        for n in range(3):
            self.invite(n)
        self.login(self.charlie)
        for n in range(3, 6):
            self.invite(n)
        self.assertEqual(len(self.smtp.messages), 4)
        # Charlie's own organisation has its own count.
        self.invite(9, org=self.other_org)
        self.assertEqual(len(self.smtp.messages), 5)
