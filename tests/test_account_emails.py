"""Password reset by email, and an invitation sent through a real SMTP server."""

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from reputation.models import Invitation, Membership
from tests.base import BaseTestCase
from tests.smtpserver import LocalSMTP

NEW = "un-nouveau-mot-de-passe"


class PasswordResetTestCase(BaseTestCase):
    def test_it_resets_the_password_by_email(self):
        r = self.client.post(reverse("password_reset"), {"email": "Alice@example.org"})
        self.assertRedirects(r, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertIn("Veille", message.subject)
        self.assertEqual(message.alternatives[0][1], "text/html")
        link = re.search(r"http://testserver(/password/reset/\S+/)", message.body).group(1)
        r = self.client.get(link, follow=True)  # Django swaps the token for a session key
        self.assertContains(r, "Choose a new password")
        r = self.client.post(r.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
        self.assertRedirects(r, reverse("password_reset_complete"))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW))
        # The link works once.
        self.assertContains(self.client.get(link, follow=True), "no longer works")

    def test_it_says_the_same_for_an_unknown_address(self):
        r = self.client.post(reverse("password_reset"), {"email": "nobody@example.org"})
        self.assertRedirects(r, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)

    def test_the_pages_speak_french(self):
        with translation.override("fr"):
            r = self.client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(r, "Mot de passe oublié")

    def test_the_login_page_links_to_it(self):
        self.assertContains(self.client.get(reverse("login")), reverse("password_reset"))


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
