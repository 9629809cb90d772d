"""Issue 9, points 7 and 8: login is throttled by account and by address, and does
not tell who has an account."""

from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import TestCase, override_settings

from reputation.backends import EmailBackend
from tests.base import make_user


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@override_settings(PASSWORD_HASHERS=["tests.test_security_login.CountingHasher"])
class TimingTestCase(TestCase):
    def hashes(self, email):
        CountingHasher.calls = 0
        self.assertIsNone(EmailBackend().authenticate(None, username=email, password="wrong"))
        return CountingHasher.calls

    def test_it_hashes_the_password_of_an_unknown_address_too(self):
        make_user("known@example.org")
        self.assertEqual(self.hashes("known@example.org"), 1)
        self.assertEqual(self.hashes("nobody@example.org"), 1)
