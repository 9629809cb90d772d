"""Issue 9, point 12: each role may do what the roles table in README says, on every
write view. Owner and admin: everything here; member: the daily work (mentions,
names, adding sources, polling) but nothing that deletes history; viewer: nothing;
outsider: not even that the object exists."""

from django.urls import reverse

from monitoring.models import Source
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Role
from reputation.sources.models import Follow
from tests.base import BaseTestCase, make_user
from tests.mentions.test_views_mentions import make_mention

OK, DENIED, UNKNOWN = "ok", 403, 404

# view -> who may use it (the others with a role get 403, outsiders 404)
ALLOWED = {
    "tracked-add": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "tracked-edit": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "tracked-toggle": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "tracked-delete": {Role.OWNER, Role.ADMIN},
    "mention-sentiment": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "add-source": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "add-feed": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "add-website": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "add-forum": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "add-html": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "add-search": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "source-resume": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "source-poll": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "source-unfollow": {Role.OWNER, Role.ADMIN},
}
GET_PAGES = {
    "tracked-add",
    "tracked-edit",
    "add-source",
    "add-feed",
    "add-website",
    "add-forum",
    "add-html",
    "add-search",
}


class RolesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.adam = make_user("adam@example.org")
        Membership.objects.create(user=self.adam, organisation=self.org, role=Role.ADMIN)
        self.users = {
            Role.OWNER: self.alice,
            Role.ADMIN: self.adam,
            Role.MEMBER: self.bob,
            Role.VIEWER: self.viewer,
            "outsider": self.charlie,
        }

    def fresh_objects(self):
        """New objects for each attempt: a delete that worked must not hide the next."""
        n = Source.objects.count()
        source = Source.objects.create(url=f"https://example.org/{n}.xml")
        Follow.objects.create(organisation=self.org, source=source)
        tracked = TrackedName.objects.create(organisation=self.org, label=f"Name {n}")
        mention = make_mention(self.org, n=n)
        return {
            "source_code": source.code,
            "tracked_code": tracked.code,
            "mention_code": mention.code,
        }

    def url(self, name, objects):
        if name.startswith("tracked-") and name != "tracked-add":
            return reverse(name, args=[self.org.code, objects["tracked_code"]])
        if name.startswith("source-"):
            return reverse(name, args=[self.org.code, objects["source_code"]])
        if name == "mention-sentiment":
            return reverse(name, args=[self.org.code, objects["mention_code"]])
        return reverse(name, args=[self.org.code])

    def status(self, user, name):
        self.client.force_login(user)
        url = self.url(name, self.fresh_objects())
        if name in GET_PAGES:
            response = self.client.get(url)
        else:
            response = self.client.post(url, {"sentiment": "negative"})
        return OK if response.status_code in (200, 302) else response.status_code

    def test_it_enforces_the_roles_table_on_every_write_view(self):
        for name, allowed in ALLOWED.items():
            for role, user in self.users.items():
                expected = UNKNOWN if role == "outsider" else OK if role in allowed else DENIED
                with self.subTest(view=name, role=role):
                    self.assertEqual(self.status(user, name), expected)

    def test_it_shows_destructive_actions_to_managers_only(self):
        objects = self.fresh_objects()
        for user, shown in ((self.adam, True), (self.bob, False)):
            self.client.force_login(user)
            page = self.client.get(reverse("sources", args=[self.org.code])).content.decode()
            self.assertEqual("source-unfollow" in page or "/unfollow/" in page, shown)
            page = self.client.get(reverse("tracked-names", args=[self.org.code]))
            delete = reverse("tracked-delete", args=[self.org.code, objects["tracked_code"]])
            self.assertEqual(delete in page.content.decode(), shown)
