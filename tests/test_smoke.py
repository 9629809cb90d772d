from django.urls import reverse

from tests.base import BaseTestCase


class DashboardTestCase(BaseTestCase):
    def test_it_shows_dashboard_to_member(self):
        self.login(self.bob)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertContains(r, "Alice &amp; Co")

    def test_it_hides_dashboard_from_outsider(self):
        self.login(self.charlie)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertEqual(r.status_code, 404)

    def test_it_requires_login(self):
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertEqual(r.status_code, 302)
