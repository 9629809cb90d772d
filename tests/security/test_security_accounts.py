"""Issue 9, point 13: passwords are checked wherever they are set, createorg never
takes over an existing account, everyone can change their password, sessions end
after an idle time."""

import io
import re

from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from reputation.orgs.models import Membership, Organisation, Role
from tests.base import BaseTestCase

STRONG = "correct-horse-battery-staple"


def createorg(*args):
    call_command("createorg", *args, stdout=io.StringIO())


class CreateorgTestCase(BaseTestCase):
    def test_it_refuses_a_weak_password(self):
        with self.assertRaisesRegex(CommandError, "password refused"):
            createorg("new", "--name", "New", "--owner", "new@example.org", "--password", "a")
        self.assertFalse(Organisation.objects.filter(slug="new").exists())
        createorg("new", "--name", "New", "--owner", "new@example.org", "--password", STRONG)
        membership = Membership.objects.get(organisation__slug="new")
        self.assertTrue(membership.user.check_password(STRONG))

    def test_it_never_silently_resets_an_existing_password(self):
        with self.assertRaisesRegex(CommandError, "password was not changed"):
            createorg("new", "--name", "N", "--owner", "alice@example.org", "--password", STRONG)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("password"))
        createorg(
            "new",
            "--name",
            "N",
            "--owner",
            "alice@example.org",
            "--password",
            STRONG,
            "--reset-password",
        )
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(STRONG))

    def test_it_never_silently_changes_a_role(self):
        with self.assertRaisesRegex(CommandError, "role was not changed"):
            createorg("alice-co", "--name", "Alice & Co", "--owner", "vera@example.org")
        membership = Membership.objects.get(user=self.viewer, organisation=self.org)
        self.assertEqual(membership.role, Role.VIEWER)
        createorg("alice-co", "--name", "Alice & Co", "--owner", "vera@example.org", "--make-owner")
        membership.refresh_from_db()
        self.assertEqual(membership.role, Role.OWNER)


class PasswordChangeTestCase(BaseTestCase):
    url = reverse("password_change")

    def test_it_asks_anonymous_users_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, reverse("login") + "?next=" + self.url)

    def test_it_lets_every_role_change_their_password(self):
        for user in (self.alice, self.bob, self.viewer, self.charlie):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 200)
            response = self.client.post(
                self.url,
                {"old_password": "password", "new_password1": STRONG, "new_password2": STRONG},
            )
            self.assertRedirects(response, reverse("password_change_done"))
            user.refresh_from_db()
            self.assertTrue(user.check_password(STRONG))

    def test_it_refuses_a_weak_new_password(self):
        self.login(self.bob)
        response = self.client.post(
            self.url, {"old_password": "password", "new_password1": "a", "new_password2": "a"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "too short")
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.check_password("password"))

    def test_it_resets_a_forgotten_password_by_email(self):
        response = self.client.post(reverse("password_reset"), {"email": "bob@example.org"})
        self.assertRedirects(response, reverse("password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
        response = self.client.get(link, follow=True)
        form_url = response.redirect_chain[-1][0]
        response = self.client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
        self.assertRedirects(response, reverse("password_reset_complete"))
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.check_password(STRONG))


class SessionTestCase(BaseTestCase):
    def test_it_ends_sessions_after_the_documented_idle_time(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 480 * 60)
        self.login(self.alice)
        response = self.client.get(reverse("dashboard", args=[self.org.code]))
        # Activity renews the cookie: the session ends after 8 hours without a request.
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(int(cookie["max-age"]), 480 * 60)
        # Not at every request: at most once in five minutes.
        response = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
