"""Issue 22: the tenant-isolation sweep. Every URL pattern the resolver knows is tried
with the OTHER organisation's ids, as a member of one organisation: each answers what
its rule in ROUTES says (404 for anything of an organisation), and no answer shows a
word of the other organisation. A pattern missing from ROUTES fails the sweep: a new
view is classified when it is written, not forgotten.

Indirect paths too: a source both follow, an item both have a mention of, the
cross-client inbox and a history scan never show one organisation the other's words."""

import functools
import uuid

from django.test import TestCase
from django.urls import reverse

from reputation.mentions import history
from reputation.mentions.models import HistoryScan, Mention
from reputation.names.models import TrackedName
from tests.security import world
from tests.security.routes import admin_or_demo, routes

# Rules. ORG: a page of the organisation in `code`; the outsider gets 404 for GET and
# POST, and a member of A asking for B's objects under A's own code gets 404 too.
ORG = "org"
# MINE: the user's own pages (no organisation in the address): shown, never with B's words.
MINE = "mine"
# PUBLIC: anyone's page, holding nobody's data.
PUBLIC = "public"
# TOKEN: a capability emailed to someone (the token IS the authority): a made-up one
# answers `bogus`; B's real one, opened by A's member, answers `theirs` (None: the
# link works for whoever holds it, by design: one-click unsubscribe, a visitor's
# diagnostic, a WebSub hub's callback).
TOKEN = "token"
# API: with A's key; `object` names the parameter of B filled into `code`.
API = "api"

ROUTES = {
    # API (A's key)
    "api/schema/": (PUBLIC, {}),
    "api/docs/": (PUBLIC, {}),
    "api/v1/organisations/": (API, {}),
    "api/v1/organisations/<uuid:code>/": (API, {"object": "code", "methods": ["get"]}),
    "api/v1/names/": (API, {}),
    "api/v1/sources/": (API, {}),
    "api/v1/mentions/": (API, {}),
    "api/v1/mentions/bulk/": (API, {"bulk": True}),
    "api/v1/mentions/<uuid:code>/": (API, {"object": "mention_code", "methods": ["get", "patch"]}),
    "api/v1/statistics/": (API, {}),
    "api/v1/alert-preferences/": (API, {}),
    "api/v1/webhooks/": (API, {}),
    "api/v1/webhooks/<uuid:code>/": (API, {"object": "webhook_code", "methods": ["delete"]}),
    "^api/": (API, {"path": "/api/v1/anything/"}),
    # Public pages
    "": (PUBLIC, {}),
    "favicon.ico": (PUBLIC, {}),
    "healthz": (PUBLIC, {}),
    "about/bot/": (PUBLIC, {}),
    "login/": (PUBLIC, {}),
    "logout/": (PUBLIC, {}),
    "accounts/password/reset/": (PUBLIC, {}),
    "accounts/password/reset/sent/": (PUBLIC, {}),
    "accounts/password/reset/done/": (PUBLIC, {}),
    "i18n/setlang/": (PUBLIC, {}),
    "signup/": (PUBLIC, {}),
    "privacy/": (PUBLIC, {}),
    "privacy/sent/": (PUBLIC, {}),
    "diagnostic/": (PUBLIC, {}),
    # Capabilities
    "websub/<str:token>/": (TOKEN, {"bogus": 404, "theirs": None}),
    "unsubscribe/<str:token>/": (TOKEN, {"bogus": 400, "theirs": None, "of": "unsubscribe"}),
    "signup/confirm/<str:token>/": (TOKEN, {"bogus": 404, "theirs": None}),
    "invitations/<str:token>/": (TOKEN, {"bogus": 404, "theirs": 403, "of": "invitation"}),
    "accounts/password/reset/<uidb64>/<token>/": (TOKEN, {"bogus": 200, "theirs": None}),
    "diagnostic/<uuid:code>/": (TOKEN, {"bogus": 404, "theirs": None, "of": "diagnostic"}),
    "diagnostic/<uuid:code>/status/": (TOKEN, {"bogus": 404, "theirs": None, "of": "diagnostic"}),
    # Google sends the member back with the state its session holds, and nothing else.
    "connectors/google/callback/": (TOKEN, {"bogus": 404, "theirs": None}),
    # The user's own pages
    "accounts/password/": (MINE, {}),
    "accounts/password/done/": (MINE, {}),
    "portfolio/": (MINE, {}),
    "inbox/": (MINE, {}),
    "inbox/bulk/": (MINE, {"bulk": True}),
    "orgs/new/": (MINE, {}),
    "switch/": (MINE, {"query": "to"}),
    "account/brand/": (MINE, {"brand": True}),
    "account/brand/logo.png": (MINE, {}),
}
for _route in routes():
    if _route.route.startswith("org/"):
        ROUTES[_route.route] = (ORG, {})

# The admin's own pages anyone reaches: its login form, and logging out.
ADMIN_OPEN = {"admin/login/", "admin/logout/"}
PUBLIC_TOKENS = {"token": "nothing", "uidb64": "MQ"}
MADE_UP = uuid.UUID("00000000-0000-4000-8000-000000000000")


class TenantSweepTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = world.tenant("alpha", "ALPHA")
        cls.b = world.tenant("bravo", "BRAVO")
        cls.shared = world.share(cls.a, cls.b)

    def setUp(self):
        self.client.force_login(self.a.owner)

    def assert_clean(self, response, where):
        """No word of B (its marker is in every text it owns) in A's answer."""
        body = b"" if response.streaming else response.content
        self.assertNotIn(self.b.marker.encode(), body, where)
        self.assertLess(response.status_code, 500, where)

    @functools.cache  # noqa: B019 (one test case, a handful of patterns)
    def unknown(self, route, method) -> int:
        """The answer for ids that exist nowhere: 404, or 405 for a GET of a view that
        only takes POST (refused before anything is looked up: nothing is learnt)."""
        made_up = {p: MADE_UP for p in route.params} | {"platform": "trustpilot"}
        if "delivery_id" in route.params:
            made_up["delivery_id"] = 10**9
        status = getattr(self.client, method)(route.url(made_up)).status_code
        self.assertIn(status, (404, 405) if method == "get" else (404,), route.route)
        return status

    def b_state(self):
        """What A could change of B: its objects and their states."""
        org = self.b.org
        mention = Mention.objects.get(pk=self.b.mention.pk)
        return {
            "mention": (mention.status, mention.sentiment, mention.assigned_to_id),
            "names": list(TrackedName.objects.filter(organisation=org).values("label", "active")),
            "follows": list(org.follows.values_list("source_id", "name")),
            "hooks": list(org.webhooks.values_list("code", "secret", "active", "url")),
            "keys": list(org.api_keys.values_list("code", "revoked")),
            "members": list(org.memberships.values_list("user_id", "role")),
            "invitations": list(org.invitations.values_list("code", "accepted_at")),
            "requests": list(org.privacy_requests.values_list("code", "status")),
            "org": (org.name, org.time_zone),
        }

    def test_it_classifies_every_url_pattern(self):
        known = {r.route for r in routes() if not admin_or_demo(r.route)}
        self.assertEqual(sorted(known - set(ROUTES)), [], "new patterns: give them a rule")
        self.assertEqual(sorted(set(ROUTES) - known), [], "rules of patterns that are gone")

    def test_it_answers_404_for_every_page_of_another_organisation(self):
        before = self.b_state()
        tried = 0
        for route in routes():
            rule, _ = ROUTES.get(route.route, (None, {}))
            if rule != ORG:
                continue
            url = route.url(self.b.params)
            for method in ("get", "post"):
                with self.subTest(route=route.route, method=method):
                    r = getattr(self.client, method)(url)
                    self.assertEqual(r.status_code, self.unknown(route, method), url)
                    self.assert_clean(r, url)
                    tried += 1
            objects = [p for p in route.params if p not in ("code", "platform")]
            if objects:
                # A's own organisation, B's objects.
                mixed = route.url({**self.b.params, "code": self.a.org.code})
                for method in ("get", "post"):
                    with self.subTest(route=route.route, method=method, mixed=True):
                        r = getattr(self.client, method)(mixed)
                        self.assertEqual(r.status_code, self.unknown(route, method), mixed)
                        self.assert_clean(r, mixed)
        self.assertGreater(tried, 100)
        self.assertEqual(self.b_state(), before)

    def test_it_answers_404_for_another_organisations_objects_in_the_api(self):
        before = self.b_state()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.a.tokens['owner']}"}
        self.client.logout()
        for route in routes():
            rule, how = ROUTES.get(route.route, (None, {}))
            if rule != API:
                continue
            with self.subTest(route=route.route):
                if "object" in how:
                    url = route.url({"code": self.b.params[how["object"]]})
                    for method in how["methods"]:
                        r = getattr(self.client, method)(
                            url, {"status": "done"}, content_type="application/json", **auth
                        )
                        self.assertEqual(r.status_code, 404, (method, url))
                        self.assert_clean(r, url)
                elif how.get("bulk"):
                    url = route.url({})
                    answers = []
                    for ids in ([self.b.mention.code], [MADE_UP]):
                        data = {"ids": [str(i) for i in ids], "status": "done"}
                        r = self.client.post(url, data, content_type="application/json", **auth)
                        answers.append((r.status_code, r.json()["errors"]))
                    # B's mention is as unknown as one that does not exist.
                    self.assertEqual(answers[0], answers[1])
                    self.assertEqual(answers[0][0], 400)
                else:
                    url = how.get("path") or route.url({})
                    # An organisation's code in the query does not choose another.
                    r = self.client.get(url, {"organisation": self.b.org.code}, **auth)
                    self.assertIn(r.status_code, (200, 404), url)
                    self.assert_clean(r, url)
        # A's preferences cannot name B's tracked names.
        r = self.client.patch(
            reverse("api-preferences"),
            {"tracked_names": [str(self.b.params["tracked_code"])]},
            content_type="application/json",
            **auth,
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.b_state(), before)

    def test_it_shows_nothing_of_another_organisation_on_public_and_own_pages(self):
        before = self.b_state()
        for route in routes():
            rule, how = ROUTES.get(route.route, (None, {}))
            if rule not in (PUBLIC, MINE):
                continue
            url = route.url({})
            with self.subTest(route=route.route):
                r = self.client.get(url, {how["query"]: self.b.org.code} if "query" in how else {})
                self.assertIn(r.status_code, (200, 301, 302, 404, 405), url)
                self.assert_clean(r, url)
                if how.get("bulk"):
                    # B's mention in a bulk change of A's cross-client inbox.
                    data = {"mentions": [self.b.mention.code], "action": "status:done"}
                    self.assert_clean(self.client.post(url, data, follow=True), url)
                if how.get("brand"):
                    # A's brand on B's reports: B is not one of A's clients.
                    data = {"display_name": "A's brand", "clients": [self.b.org.pk]}
                    self.client.post(url, data)
                    self.assertFalse(self.b.org.pk in self.a.owner.brand.clients.values_list("pk"))
        self.assertEqual(self.b_state(), before)

    def test_it_honours_capabilities_only_for_their_holder(self):
        for route in routes():
            rule, how = ROUTES.get(route.route, (None, {}))
            if rule != TOKEN:
                continue
            with self.subTest(route=route.route):
                values = {"code": MADE_UP, **PUBLIC_TOKENS}
                r = self.client.get(route.url(values))
                self.assertEqual(r.status_code, how["bogus"])
                self.assert_clean(r, route.route)
                if how["theirs"] is not None:
                    values = {"token": self.b.params[f"{how['of']}_token"]}
                    r = self.client.get(route.url(values))
                    self.assertEqual(r.status_code, how["theirs"])
                    # Only what the invitation says: who invites (the link's holder
                    # is the invited mailbox), never the organisation's data.
                    self.assertNotIn(b"BRAVO mention", r.content)

    def test_it_keeps_the_admin_to_staff(self):
        """Every admin page, B's objects in it, sends a member (not staff) to log in."""
        tried = 0
        for route in routes():
            if not route.route.startswith("admin/") or route.route in ADMIN_OPEN:
                continue
            values = {"object_id": self.b.mention.pk, "app_label": "mentions", "url": "x"}
            values |= {"content_type_id": 1, "id": 1}
            url = route.url({p: values[p] for p in route.params})
            with self.subTest(route=route.route):
                r = self.client.get(url)
                self.assertIn(r.status_code, (302, 404), url)
                if r.status_code == 302:
                    self.assertTrue(r["Location"].startswith("/admin/login/"), url)
                    tried += 1
        self.assertGreater(tried, 50)

    def test_it_shows_each_follower_of_a_shared_source_its_own_words(self):
        a = self.a.params["code"]
        pages = [
            reverse("source-detail", args=[a, self.shared.code]),
            reverse("source-status", args=[a, self.shared.code]),
            reverse("sources", args=[a]),
            reverse("mention-detail", args=[a, self.a.shared_mention.code]),
            reverse("inbox", args=[a]),
            reverse("inbox", args=[a]) + "?q=sighting",
            reverse("dashboard", args=[a]),
            reverse("report", args=[a]),
            reverse("export-csv", args=[a]),
            reverse("inbox-all") + "?q=sighting",
        ]
        for url in pages:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200, url)
                self.assert_clean(r, url)
        self.assert_clean(self.client.post(reverse("privacy-export", args=[a])), "export")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.a.tokens['owner']}"}
        for url in ("/api/v1/mentions/?q=sighting", "/api/v1/sources/", "/api/v1/mentions/"):
            self.assert_clean(self.client.get(url, **auth), url)

    def test_it_never_lets_a_history_scan_read_another_organisations_words(self):
        # B's own source says "BRAVO sighting text" of the item A sees in the shared
        # source; A looks for those words: its history has them nowhere.
        tracked = TrackedName.objects.create(organisation=self.a.org, label="BRAVO sighting")
        scan = HistoryScan.objects.create(organisation=self.a.org, tracked_name=tracked)
        history.run(scan, budget=False)
        self.assertFalse(Mention.objects.filter(tracked_name=tracked).exists())
        # While the shared source's words are found.
        mine = TrackedName.objects.create(organisation=self.a.org, label="shared text")
        history.run(HistoryScan.objects.create(organisation=self.a.org, tracked_name=mine), False)
        self.assertEqual(Mention.objects.filter(tracked_name=mine).count(), 1)
