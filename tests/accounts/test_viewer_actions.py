"""A viewer is not shown actions they cannot use; a member still is (every page
decides with the membership's can_write / can_manage)."""

from django.urls import reverse

from reputation.orgs.models import Role
from tests.base import BaseTestCase
from tests.inbox_data import add_mentions, source_for


class ViewerActionsTests(BaseTestCase):
    def page(self, user, name, *args):
        self.login(user)
        r = self.client.get(reverse(name, args=[self.org.code, *args]))
        self.assertEqual(r.status_code, 200)
        return r.content.decode()

    def test_it_hides_adding_an_organisation_from_a_viewer(self):
        self.assertIn(reverse("org-add"), self.page(self.bob, "dashboard"))
        self.assertNotIn(reverse("org-add"), self.page(self.viewer, "dashboard"))

    def test_it_hides_the_empty_dashboards_setup_links_from_a_viewer(self):
        self.assertIn(reverse("add-source", args=[self.org.code]), self.page(self.bob, "dashboard"))
        html = self.page(self.viewer, "dashboard")
        self.assertNotIn(reverse("add-source", args=[self.org.code]), html)
        self.assertNotIn("Add the names to watch", html)

    def test_it_hides_the_competitors_prompt_from_a_viewer(self):
        add_mentions(self.org, 2)
        prompt = "Add competitors as tracked names"
        self.assertIn(prompt, self.page(self.bob, "dashboard"))
        self.assertNotIn(prompt, self.page(self.viewer, "dashboard"))

    def test_it_hides_add_buttons_and_triage_from_a_viewer(self):
        source_for(self.org)
        mention = add_mentions(self.org, 1)[0]
        pages = [
            ("tracked-names", (), reverse("tracked-add", args=[self.org.code])),
            ("sources", (), reverse("add-source", args=[self.org.code])),
            ("inbox", (), 'name="mentions"'),
            (
                "mention-detail",
                (mention.code,),
                reverse("mention-triage", args=[self.org.code, mention.code]),
            ),
        ]
        for name, args, action in pages:
            self.assertIn(action, self.page(self.bob, name, *args), name)
            self.assertNotIn(action, self.page(self.viewer, name, *args), name)

    def test_it_masks_addresses_in_the_inbox_assignee_filter_for_a_viewer(self):
        self.assertIn("bob@example.org", self.page(self.alice, "inbox"))
        html = self.page(self.viewer, "inbox")
        self.assertNotIn("bob@example.org", html)
        self.assertIn("b…@example.org", html)

    def test_it_hides_members_addresses_from_a_viewer_only(self):
        self.assertIn("alice@example.org", self.page(self.bob, "members"))
        html = self.page(self.viewer, "members")
        self.assertNotIn("alice@example.org", html)
        self.assertIn("a…@example.org", html)
        self.assertEqual(Role.VIEWER, self.viewer.memberships.get().role)
