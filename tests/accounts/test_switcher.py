"""The client switcher: goes on selection (a button without JavaScript only) and keeps
the current list's filters when moving to the same section of another client."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from reputation.orgs.models import Membership, Organisation, Role
from tests.base import BaseTestCase


class SwitcherTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.garage = Organisation.objects.create(slug="garage", name="Garage Martin")
        Membership.objects.create(user=self.bob, organisation=self.garage, role=Role.OWNER)
        self.login(self.bob)

    def switch(self, came_from):
        return self.client.get(
            reverse("switch-org"), {"to": str(self.garage.code), "from": came_from}
        )

    def test_it_keeps_the_filters_of_the_same_list(self):
        inbox = reverse("inbox", args=[self.org.code])
        r = self.switch(inbox + "?sentiment=negative&status=new&status=todo&period=30&q=pain")
        target = urlsplit(r["Location"])
        self.assertEqual(target.path, reverse("inbox", args=[self.garage.code]))
        self.assertEqual(
            parse_qs(target.query),
            {"sentiment": ["negative"], "status": ["new", "todo"], "period": ["30"], "q": ["pain"]},
        )
        r = self.switch(reverse("dashboard", args=[self.org.code]) + "?days=90")
        self.assertEqual(r["Location"], reverse("dashboard", args=[self.garage.code]) + "?days=90")

    def test_it_leaves_behind_what_names_the_first_clients_things(self):
        inbox = reverse("inbox", args=[self.org.code])
        code = "0b7e7a9e-3c1f-4e0a-9a1e-1a2b3c4d5e6f"
        r = self.switch(
            f"{inbox}?sentiment=negative&name={code}&source={code}&tag={code}"
            f"&assignee=42&after=123.4"
        )
        self.assertEqual(
            r["Location"], reverse("inbox", args=[self.garage.code]) + "?sentiment=negative"
        )
        r = self.switch(f"{inbox}?assignee=me")
        self.assertTrue(r["Location"].endswith("?assignee=me"))
        # A mention's page: its list in the other client, without the page's own query.
        detail = reverse("mention-detail", args=[self.org.code, self.org.code])
        r = self.switch(f"{detail}?back=/evil")
        self.assertEqual(r["Location"], reverse("inbox", args=[self.garage.code]))

    def test_it_goes_on_selection_with_a_button_only_without_javascript(self):
        r = self.client.get(reverse("inbox", args=[self.org.code]))
        html = r.content.decode()
        self.assertIn("js/switcher.js", html)
        switcher = html[html.index('class="inline switcher"') :]
        switcher = switcher[: switcher.index("</form>")]
        self.assertIn('<noscript><button type="submit"', switcher)
        self.assertEqual(switcher.count("<button"), 1)
