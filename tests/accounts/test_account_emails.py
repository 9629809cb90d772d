"""Invitations sent through a real SMTP server, and when the server is down."""

import re

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from reputation.accounts.models import Invitation
from reputation.orgs.models import Membership
from tests.base import BaseTestCase
from tests.smtpserver import LocalSMTP

NEW = "un-nouveau-mot-de-passe"


class InvitationSMTPTestCase(BaseTestCase):
    def test_it_sends_the_invitation_through_smtp(self):
        with LocalSMTP() as smtp, override_settings(**smtp.settings):
            self.login(self.alice)
            self.client.post(
                reverse("member-invite", args=[self.org.code]),
                {"email": "dan@example.org", "role": "member"},
            )
        self.assertEqual(len(smtp.inbox.messages), 1)
        recipients, message = smtp.inbox.messages[0]
        self.assertEqual(recipients, ["dan@example.org"])
        # The organisation speaks French (its default): so does the email.
        self.assertIn("Invitation à suivre Alice & Co", message["Subject"])
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        link = re.search(r"http://127\.0\.0\.1:8000(/invitations/\S+/)", text).group(1)
        self.assertIn(link, html)
        self.client.logout()
        r = self.client.post(link, {"password": NEW})
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))
        self.assertTrue(Membership.objects.filter(user__email="dan@example.org").exists())

    def test_it_says_so_when_the_mail_server_is_down(self):
        from tests.smtpserver import free_port

        down = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": free_port(),  # nothing listens there
            "EMAIL_TIMEOUT": 2,
        }
        with override_settings(**down):
            self.login(self.alice)
            r = self.client.post(
                reverse("member-invite", args=[self.org.code]),
                {"email": "dan@example.org", "role": "member"},
                follow=True,
            )
        self.assertContains(r, "The invitation could not be sent")
        self.assertFalse(Invitation.objects.exists())


class PasswordResetEmailTestCase(BaseTestCase):
    @override_settings(ALLOWED_HOSTS=["*"])
    def test_it_builds_the_reset_link_on_site_root_not_on_the_request_host(self):
        with LocalSMTP() as smtp, override_settings(**smtp.settings):
            self.client.post(
                reverse("password_reset"), {"email": "bob@example.org"}, HTTP_HOST="evil.test:8443"
            )
        self.assertEqual(len(smtp.inbox.messages), 1)
        _recipients, message = smtp.inbox.messages[0]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        self.assertNotIn("evil.test", text + html)
        link = re.search(r"(\S+/accounts/password/reset/\S+/)", text).group(1)
        self.assertTrue(link.startswith(settings.SITE_ROOT), link)
        self.assertIn(link, html)
