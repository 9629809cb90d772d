"""Issue 16, defect 8: input that used to answer 500 gets a sentence instead."""

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from reputation.orgs.models import Organisation
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions


class DayFilterTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        add_mentions(self.org, 2, title="Tarte aux pommes")
        self.login(self.bob)

    def test_it_refuses_a_day_out_of_range_in_the_inbox(self):
        for query in ("until=9999-12-31", "since=0001-01-01"):
            r = self.client.get(reverse("inbox", args=[self.org.code]) + "?" + query)
            self.assertContains(r, "Choose a day between 1990-01-01 and 2100-12-31.")
            # The other filters still apply: the list is shown.
            self.assertContains(r, "Tarte aux pommes")

    def test_it_refuses_a_day_out_of_range_in_the_export(self):
        url = reverse("export-csv", args=[self.org.code]) + "?until=9999-12-31"
        r = self.client.get(url)
        self.assertEqual(r.status_code, 400)
        self.assertIn("Choose a day between", r.content.decode())

    def test_it_still_exports_with_a_good_day(self):
        r = self.client.get(reverse("export-csv", args=[self.org.code]) + "?until=2100-12-31")
        self.assertEqual(r.status_code, 200)
        self.assertIn("Tarte aux pommes", b"".join(r.streaming_content).decode())


class PseudoElementTestCase(BaseTestCase):
    def test_it_refuses_a_pseudo_element_with_a_sentence(self):
        self.login(self.bob)
        cases = (("add-html", "item"), ("add-forum", "post"))
        for name, field in cases:
            data = {"url": "http://127.0.0.1:9/page", field: "div::before"}
            r = self.client.post(reverse(name, args=[self.org.code]), data)
            self.assertEqual(r.status_code, 200, name)
            self.assertIn(field, r.context["form"].errors, name)
            self.assertContains(r, "not valid")


class PasswordLikeEmailTestCase(BaseTestCase):
    def test_it_refuses_a_password_like_the_email_at_signup(self):
        email = "jeanne.dupont@example.org"
        data = {"organisation": "Dupont", "email": email, "password": email}
        r = self.client.post(reverse("signup"), data)
        self.assertContains(r, "The password is too similar to the")
        self.assertFalse(Organisation.objects.filter(name="Dupont").exists())
        self.assertFalse(User.objects.filter(email=email).exists())

    def test_it_refuses_a_password_like_the_email_of_an_invitation(self):
        self.login(self.alice)
        url = reverse("member-invite", args=[self.org.code])
        self.client.post(url, {"email": "dan.martin@example.org", "role": "member"})
        line = [x for x in mail.outbox[-1].body.splitlines() if "/invitations/" in x][0]
        token = line.rstrip("/").rsplit("/", 1)[1]
        self.client.logout()
        url = reverse("invitation-accept", args=[token])
        r = self.client.post(url, {"password": "dan.martin@example.org"})
        self.assertContains(r, "The password is too similar to the")
