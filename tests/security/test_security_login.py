"""Issue 9, points 7 and 8: login is throttled by account and by address, and does
not tell who has an account."""

from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from reputation.accounts.addresses import find_user
from reputation.backends import EmailBackend
from tests.base import make_user


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@override_settings(PASSWORD_HASHERS=["tests.security.test_security_login.CountingHasher"])
class TimingTestCase(TestCase):
    def hashes(self, email):
        CountingHasher.calls = 0
        self.assertIsNone(EmailBackend().authenticate(None, username=email, password="wrong"))
        return CountingHasher.calls

    def test_it_hashes_the_password_of_an_unknown_address_too(self):
        make_user("known@example.org")
        self.assertEqual(self.hashes("known@example.org"), 1)
        self.assertEqual(self.hashes("nobody@example.org"), 1)


class ThrottleTestCase(TestCase):
    def setUp(self):
        self.user = make_user("alice@example.org", "right-password-123")
        self.login_url = reverse("login")

    def attempt(self, email="alice@example.org", password="wrong", ip="10.0.0.1", url=None):
        return self.client.post(
            url or self.login_url, {"username": email, "password": password}, REMOTE_ADDR=ip
        )

    def test_it_locks_an_account_after_too_many_wrong_passwords(self):
        for n in range(30):
            # From many addresses: the account's failures count together.
            self.attempt(
                email="Alice@Example.org " if n % 2 else "alice@example.org", ip=f"10.0.1.{n}"
            )
        response = self.attempt(password="right-password-123", ip="10.0.2.1")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many wrong passwords", status_code=429)
        self.assertContains(response, reverse("password_reset"), status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_an_address_that_tries_many_accounts(self):
        for n in range(30):
            self.attempt(email=f"guess{n}@example.org")
        response = self.attempt(password="right-password-123")
        self.assertEqual(response.status_code, 429)
        # Another address still logs in.
        response = self.attempt(password="right-password-123", ip="10.9.9.9")
        self.assertEqual(response.status_code, 302)

    def test_it_locks_the_admin_login_too(self):
        self.user.is_staff = self.user.is_superuser = True
        self.user.save()
        url = reverse("admin:login")
        for _ in range(30):
            self.attempt(url=url)
        response = self.attempt(password="right-password-123", url=url)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_unlocks_the_account_with_a_new_password(self):
        for n in range(30):
            self.attempt(ip=f"10.0.1.{n}")
        self.user.set_password("a-new-password-456")
        self.user.save()
        response = self.attempt(password="a-new-password-456", ip="10.0.3.1")
        self.assertEqual(response.status_code, 302)

    def test_it_reads_the_client_address_behind_trusted_proxies_only(self):
        from reputation.security.login_throttle import client_ip

        request = RequestFactory().get(
            "/", REMOTE_ADDR="172.16.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
        )
        self.assertEqual(client_ip(request), "172.16.0.2")
        with override_settings(TRUSTED_PROXIES=1):
            self.assertEqual(client_ip(request), "1.2.3.4")  # never the spoofable left part


class LookAlikeTestCase(TestCase):
    """Issue 17, point 5: after v-member@victim.test is locked, look-alike spellings
    got 10 tries each, and on PostgreSQL ("ı" is "I" to its UPPER()) logging in with
    one cleared the lock."""

    def setUp(self):
        self.user = make_user("v-member@victim.test", "right-password-123")

    def attempt(self, email, password="wrong", ip="10.0.0.1"):
        return self.client.post(
            reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip
        )

    def lock(self):
        for n in range(10):
            self.attempt("v-member@victim.test", ip=f"10.0.1.{n}")
        response = self.attempt("v-member@victim.test", "right-password-123", ip="10.0.2.1")
        self.assertEqual(response.status_code, 429)

    def test_it_does_not_log_into_an_account_with_a_dotless_i(self):
        self.lock()
        response = self.attempt("v-member@v\u0131ctim.test", "right-password-123", "10.0.3.1")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertNotEqual(response.status_code, 302)
        # ...and the account stays locked.
        response = self.attempt("v-member@victim.test", "right-password-123", ip="10.0.4.1")
        self.assertEqual(response.status_code, 429)

    def test_it_counts_every_spelling_of_an_account_together(self):
        self.lock()
        for spelling in ("\uff56-member@victim.test", " V-Member@VICTIM.test"):
            response = self.attempt(spelling, "right-password-123", ip="10.0.5.1")
            self.assertEqual(response.status_code, 429, spelling)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_logs_in_with_any_spelling_of_the_address_when_not_locked(self):
        response = self.attempt("\uff56-Member@Victim.TEST", "right-password-123")
        self.assertEqual(response.status_code, 302)

    def test_it_shows_why_this_mattered_on_postgresql(self):
        if connection.vendor != "postgresql":
            self.skipTest("DATABASE_URL is not PostgreSQL: SQLite's UPPER() is ASCII only")
        # The database's own case rules match the look-alike; ours do not.
        self.assertTrue(User.objects.filter(email__iexact="v-member@v\u0131ctim.test").exists())
        self.assertIsNone(find_user("v-member@v\u0131ctim.test"))
        self.assertEqual(find_user("v-member@victim.test"), self.user)
