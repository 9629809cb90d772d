"""Issue 22: every write as a viewer is refused. Every pattern the resolver knows is
classified in WRITES; each is tried with POST, PUT, PATCH and DELETE as a viewer of
the organisation, with the data a member would send: write views answer 403 (or 405
for a method they never take), read views change nothing, and the organisation's
state is the same after every request. A pattern missing from WRITES fails."""

from django.test import TestCase
from django.urls import reverse

from reputation.alerts.models import AlertPreference
from reputation.api.models import ApiKey
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from tests.security import world
from tests.security.routes import admin_or_demo, routes

# WRITE: a view that changes the organisation: 403 for a viewer (405 for a method
# it never takes). READ: a page; whatever the method, nothing changes. OWN: what a
# viewer may do to its own things (its API keys, its alert settings), never the
# organisation's. NONE: not an organisation's page (public, capability, the user's
# own account): the tenant sweep covers it.
# FORM: a page a viewer may read whose POST writes (403); other methods read it.
WRITE, FORM, READ, OWN, NONE = "write", "form", "read", "own", "none"

WRITES = {
    "org/<uuid:code>/": READ,
    "org/<uuid:code>/api-keys/": OWN,
    "org/<uuid:code>/api-keys/<uuid:key_code>/revoke/": OWN,
    "org/<uuid:code>/sources/": READ,
    "org/<uuid:code>/sources/add/": WRITE,
    "org/<uuid:code>/sources/add/feed/": WRITE,
    "org/<uuid:code>/sources/add/website/": WRITE,
    "org/<uuid:code>/sources/add/forum/": WRITE,
    "org/<uuid:code>/sources/add/page/": WRITE,
    "org/<uuid:code>/sources/add/search/": WRITE,
    "org/<uuid:code>/sources/add/platform/": WRITE,
    "org/<uuid:code>/sources/add/google/": WRITE,
    "org/<uuid:code>/sources/add/platform/<slug:platform>/": WRITE,
    "org/<uuid:code>/mentions/<uuid:mention_code>/reply-on-platform/": WRITE,
    "org/<uuid:code>/sources/suggested/<uuid:tracked_code>/": WRITE,
    "org/<uuid:code>/sources/suggested/<uuid:tracked_code>/follow/": WRITE,
    "org/<uuid:code>/sources/<uuid:source_code>/": READ,
    "org/<uuid:code>/sources/<uuid:source_code>/resume/": WRITE,
    "org/<uuid:code>/sources/<uuid:source_code>/poll/": WRITE,
    "org/<uuid:code>/sources/<uuid:source_code>/unfollow/": WRITE,
    "org/<uuid:code>/sources/<uuid:source_code>/status/": READ,
    "org/<uuid:code>/sources/<uuid:source_code>/rename/": WRITE,
    "org/<uuid:code>/names/": READ,
    "org/<uuid:code>/names/add/": WRITE,
    "org/<uuid:code>/names/<uuid:tracked_code>/": WRITE,
    "org/<uuid:code>/names/<uuid:tracked_code>/toggle/": WRITE,
    "org/<uuid:code>/names/<uuid:tracked_code>/delete/": WRITE,
    "org/<uuid:code>/mentions/<uuid:mention_code>/sentiment/": WRITE,
    "org/<uuid:code>/alerts/": OWN,
    "org/<uuid:code>/alerts/webhooks/": WRITE,
    "org/<uuid:code>/alerts/webhooks/<uuid:webhook_code>/delete/": WRITE,
    "org/<uuid:code>/alerts/webhooks/<uuid:webhook_code>/test/": WRITE,
    "org/<uuid:code>/alerts/webhooks/<uuid:webhook_code>/secret/": WRITE,
    "org/<uuid:code>/alerts/webhooks/<uuid:webhook_code>/deliveries/<int:delivery_id>/redeliver/": (
        WRITE
    ),
    "org/<uuid:code>/export.csv": READ,
    "org/<uuid:code>/report/": READ,
    "org/<uuid:code>/mentions/": READ,
    "org/<uuid:code>/mentions/bulk/": WRITE,
    "org/<uuid:code>/mentions/<uuid:mention_code>/": READ,
    "org/<uuid:code>/mentions/<uuid:mention_code>/triage/": WRITE,
    "org/<uuid:code>/replies/templates/": FORM,
    "org/<uuid:code>/settings/": WRITE,
    "org/<uuid:code>/members/": READ,
    "org/<uuid:code>/members/invite/": WRITE,
    "org/<uuid:code>/members/role/": WRITE,
    "org/<uuid:code>/members/remove/": WRITE,
    "org/<uuid:code>/invitations/<uuid:invitation_code>/cancel/": WRITE,
    "org/<uuid:code>/privacy/": WRITE,
    "org/<uuid:code>/privacy/retention/": WRITE,
    "org/<uuid:code>/privacy/erase/": WRITE,
    "org/<uuid:code>/privacy/requests/<uuid:request_code>/": WRITE,
    "org/<uuid:code>/privacy/export/": WRITE,
    "org/<uuid:code>/privacy/delete/": WRITE,
    "org/<uuid:code>/privacy/register/": WRITE,
}
# API: the viewer's key (read scope) on every resource that writes.
API_WRITES = [
    ("patch", "api-mention", "mention_code", {"status": "done"}),
    ("post", "api-mentions-bulk", None, {"status": "done"}),
    ("patch", "api-preferences", None, {"threshold": 1}),
    ("get", "api-webhooks", None, None),
    ("post", "api-webhooks", None, {"url": "https://hooks.example/x", "kind": "json"}),
    ("delete", "api-webhook", "webhook_code", None),
]
METHODS = ("post", "put", "patch", "delete")


class ViewerSweepTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = world.tenant("alpha", "ALPHA")

    def setUp(self):
        self.client.force_login(self.a.viewer)

    def data(self):
        """What a member would send to these views: a missing role check would write."""
        mention = str(self.a.mention.code)
        return {
            "label": "VIEWER name",
            "kind": "brand",
            "action": "save",
            "sentiment": "positive",
            "status": "done",
            "mentions": [mention],
            "name": "VIEWER",
            "url": "https://viewer.example/feed.xml",
            "email": "viewer-invite@alpha.example",
            "role": "admin",
            "member": self.a.owner.pk,
            "retention_days": "30",
            "author": "ALPHA author",
            "confirm": "ALPHA organisation",
        }

    def state(self):
        """The organisation's state, all a viewer could change."""
        org = self.a.org
        org.refresh_from_db()
        return {
            "org": (org.name, org.time_zone, org.language),
            "mentions": list(
                Mention.objects.filter(organisation=org)
                .order_by("pk")
                .values_list("status", "sentiment", "assigned_to_id", "title", "author")
            ),
            "names": list(
                TrackedName.objects.filter(organisation=org).values_list("label", "active")
            ),
            "follows": list(org.follows.order_by("pk").values_list("source_id", "name")),
            "sources": list(
                org.follows.order_by("pk").values_list("source__state", "source__next_fetch_at")
            ),
            "hooks": list(org.webhooks.values_list("code", "secret", "active", "url")),
            "deliveries": sum(h.deliveries.count() for h in org.webhooks.all()),
            "notifications": org.notifications.count(),
            "members": list(org.memberships.order_by("pk").values_list("user_id", "role")),
            "invitations": list(org.invitations.values_list("code", "accepted_at")),
            "requests": list(org.privacy_requests.values_list("code", "status")),
            "keys": list(ApiKey.objects.filter(organisation=org).values_list("code", "revoked")),
            "templates": list(org.tags.values_list("name")),
        }

    def test_it_classifies_every_url_pattern(self):
        known = {r.route for r in routes() if r.route.startswith("org/")}
        self.assertEqual(sorted(known - set(WRITES)), [], "new patterns: classify them")
        self.assertEqual(sorted(set(WRITES) - known), [], "rules of patterns that are gone")
        # Every other page of an organisation's data is under org/ (the API reads the
        # key's organisation; the admin is for staff).
        others = [r.route for r in routes() if not r.route.startswith(("org/", "api/"))]
        leaks = [r for r in others if "_code>" in r and not admin_or_demo(r)]
        self.assertEqual(leaks, [])

    def test_it_refuses_every_write_to_a_viewer(self):
        before, tried = self.state(), 0
        for route in routes():
            rule = WRITES.get(route.route, NONE)
            if rule in (NONE,):
                continue
            url = route.url(self.a.params)
            for method in METHODS:
                with self.subTest(route=route.route, method=method):
                    if method == "post":
                        r = self.client.post(url, self.data())
                    else:
                        r = getattr(self.client, method)(url)
                    if rule == WRITE or (rule == FORM and method == "post"):
                        expected = (403,) if method == "post" else (403, 405)
                        self.assertIn(r.status_code, expected, (method, url))
                    else:
                        self.assertLess(r.status_code, 500, (method, url))
                    tried += 1
            self.assertEqual(self.state(), before, url)
        self.assertGreater(tried, 200)

    def test_it_lets_a_viewer_change_only_its_own_settings(self):
        own = self.a.viewer.memberships.get(organisation=self.a.org)
        r = self.client.post(
            reverse("alerts", args=[self.a.org.code]), {"threshold": 10, "digest": "weekly"}
        )
        self.assertIn(r.status_code, (200, 302))
        owner = AlertPreference.objects.filter(membership__user=self.a.owner)
        self.assertFalse(owner.filter(threshold=10).exists())
        # The owner's key is not the viewer's to revoke.
        key = ApiKey.objects.get(user=self.a.owner, organisation=self.a.org)
        r = self.client.post(reverse("api-key-revoke", args=[self.a.org.code, key.code]))
        self.assertEqual(r.status_code, 404)
        key.refresh_from_db()
        self.assertIsNone(key.revoked)
        # A viewer's own key reads only.
        r = self.client.post(
            reverse("api-keys", args=[self.a.org.code]),
            {"name": "mine", "scopes": ["mentions:read", "mentions:write"]},
        )
        scopes = ApiKey.objects.filter(user=self.a.viewer).values_list("scopes", flat=True)
        self.assertEqual({s for found in scopes for s in found}, {"mentions:read"})
        self.assertEqual(own.role, "viewer")

    def test_it_refuses_every_write_to_a_viewers_api_key(self):
        before = self.state()
        self.client.logout()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.a.tokens['viewer']}"}
        for method, name, param, data in API_WRITES:
            url = reverse(name, args=[self.a.params[param]] if param else [])
            if name == "api-mentions-bulk":
                data = {**data, "ids": [str(self.a.mention.code)]}
            with self.subTest(name=name, method=method):
                call = getattr(self.client, method)
                if data is None:
                    r = call(url, **auth)
                else:
                    r = call(url, data, content_type="application/json", **auth)
                self.assertEqual(r.status_code, 403, (method, url, r.content[:200]))
        self.assertEqual(self.state(), before)
