"""Every API resource for every role: the key's organisation only (another
organisation's ids are a 404), writes refused to viewers (403), webhooks to
administrators and owners only."""

from datetime import timedelta

from django.utils import timezone

from monitoring.models import Sighting
from reputation.alerts.models import AlertPreference, Webhook
from reputation.dashboard import rollups
from reputation.inbox.models import MentionEvent, Tag
from reputation.mentions.models import Mention
from tests.api_base import ApiTestCase
from tests.inbox_data import add_mentions

ROLES = ("owner", "admin", "member", "viewer")
WRITERS = ("owner", "admin", "member")


class ResourceTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.mentions = add_mentions(self.org, 3, label="Dupont")
        self.theirs = add_mentions(self.other_org, 2, label="Charlie")
        rollups.add_mentions([*self.mentions, *self.theirs])

    def test_it_lists_only_the_keys_organisation(self):
        for role in ROLES:
            r = self.api(role, "get", "/api/v1/organisations/")
            self.assertEqual(r.status_code, 200, role)
            self.assertEqual([o["id"] for o in r.json()], [str(self.org.code)])
            self.assertEqual(r.json()[0]["role"], role)
        r = self.api("outsider", "get", f"/api/v1/organisations/{self.org.code}/")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r["Content-Type"], "application/problem+json")

    def test_it_lists_names_and_sources_with_their_health(self):
        for role in ROLES:
            names = self.api(role, "get", "/api/v1/names/").json()
            self.assertEqual([n["label"] for n in names], ["Dupont"])
            sources = self.api(role, "get", "/api/v1/sources/").json()
            self.assertEqual(len(sources), 1)
            self.assertIn("state", sources[0])
            self.assertIn("silent", sources[0])
        names = self.api("outsider", "get", "/api/v1/names/").json()
        self.assertEqual([n["label"] for n in names], ["Charlie"])

    def test_it_lists_mentions_of_the_keys_organisation_with_full_text(self):
        m = self.mentions[0]
        Sighting.objects.create(
            item=m.item, source=m.source, guid_hash="g", own_content=True, text="x" * 900
        )
        for role in ROLES:
            r = self.api(role, "get", "/api/v1/mentions/")
            self.assertEqual(r.status_code, 200)
            ids = [row["id"] for row in r.json()["results"]]
            self.assertEqual(ids, [str(x.code) for x in self.mentions])
        first = self.api("viewer", "get", f"/api/v1/mentions/{m.code}/").json()
        self.assertEqual(first["text"], "x" * 900)
        r = self.api("outsider", "get", f"/api/v1/mentions/{m.code}/")
        self.assertEqual(r.status_code, 404)
        r = self.api("outsider", "get", "/api/v1/mentions/")
        self.assertEqual(len(r.json()["results"]), 2)

    def test_it_filters_mentions_as_the_inbox_does(self):
        Mention.objects.filter(pk=self.mentions[1].pk).update(sentiment="negative")
        r = self.api("member", "get", "/api/v1/mentions/?sentiment=negative")
        self.assertEqual([x["id"] for x in r.json()["results"]], [str(self.mentions[1].code)])
        old = timezone.now() - timedelta(days=3)
        Mention.objects.filter(pk=self.mentions[2].pk).update(published=old)
        since = (timezone.now() - timedelta(hours=1)).isoformat()
        r = self.client.get(
            "/api/v1/mentions/",
            {"since": since},
            HTTP_AUTHORIZATION=f"Bearer {self.tokens['member']}",
        )
        self.assertEqual(len(r.json()["results"]), 2)
        r = self.api("member", "get", "/api/v1/mentions/?since=yesterday-ish")
        self.assertEqual(r.status_code, 400)
        self.assertIn("since", r.json()["errors"])

    def test_it_changes_a_mention_through_the_uis_functions(self):
        m = self.mentions[0]
        body = {
            "status": "answered",
            "reply_url": "https://example.org/reply",
            "sentiment": "negative",
            "assignee": self.bob.pk,
            "add_tags": ["presse"],
        }
        for role in WRITERS:
            Mention.objects.filter(pk=m.pk).update(status="new")
            r = self.api(role, "patch", f"/api/v1/mentions/{m.code}/", body)
            self.assertEqual(r.status_code, 200, (role, r.content))
        data = r.json()
        self.assertEqual(data["status"], "answered")
        self.assertEqual(data["sentiment"], "negative")
        self.assertTrue(data["corrected"])
        self.assertEqual(data["assignee"], self.bob.pk)
        self.assertEqual(data["tags"], ["presse"])
        kinds = set(MentionEvent.objects.filter(mention=m).values_list("kind", flat=True))
        self.assertGreaterEqual(len(kinds), 4)
        r = self.api("viewer", "patch", f"/api/v1/mentions/{m.code}/", {"status": "todo"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json()["status"], 403)
        r = self.api("outsider", "patch", f"/api/v1/mentions/{m.code}/", {"status": "todo"})
        self.assertEqual(r.status_code, 404)
        m.refresh_from_db()
        self.assertEqual(m.status, "answered")

    def test_it_refuses_an_assignee_from_another_organisation(self):
        m = self.mentions[0]
        r = self.api("member", "patch", f"/api/v1/mentions/{m.code}/", {"assignee": 10**6})
        self.assertEqual(r.status_code, 400)
        body = {"assignee": self.charlie.pk}
        r = self.api("member", "patch", f"/api/v1/mentions/{m.code}/", body)
        self.assertEqual(r.status_code, 400)

    def test_it_changes_mentions_in_bulk(self):
        ids = [str(m.code) for m in self.mentions]
        body = {"ids": ids, "status": "handled", "sentiment": "positive", "add_tags": ["lot"]}
        r = self.api("member", "post", "/api/v1/mentions/bulk/", body)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["changed"], 3)
        self.assertEqual(
            set(Mention.objects.filter(organisation=self.org).values_list("status", flat=True)),
            {"handled"},
        )
        self.assertEqual(Tag.objects.get(name="lot").mentions.count(), 3)
        r = self.api("viewer", "post", "/api/v1/mentions/bulk/", body)
        self.assertEqual(r.status_code, 403)
        mixed = {"ids": [*ids, str(self.theirs[0].code)], "status": "todo"}
        r = self.api("member", "post", "/api/v1/mentions/bulk/", mixed)
        self.assertEqual(r.status_code, 400)
        r = self.api("outsider", "post", "/api/v1/mentions/bulk/", {"ids": ids, "status": "todo"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(Mention.objects.filter(organisation=self.org, status="todo").count(), 0)

    def test_it_gives_statistics_from_the_rollups(self):
        for role in ROLES:
            r = self.api(role, "get", "/api/v1/statistics/?days=7")
            self.assertEqual(r.status_code, 200)
            data = r.json()
            self.assertEqual(len(data["over_time"]), 7)
            self.assertEqual(data["time_zone"], "Europe/Paris")
        self.assertEqual(data["current"]["total"], 3)
        other = self.api("outsider", "get", "/api/v1/statistics/?days=7").json()
        self.assertEqual(other["current"]["total"], 2)
        r = self.api("member", "get", "/api/v1/statistics/?days=5")
        self.assertEqual(r.status_code, 400)

    def test_it_reads_and_changes_the_members_own_alert_preferences(self):
        r = self.api("member", "get", "/api/v1/alert-preferences/")
        self.assertEqual(r.status_code, 200)
        self.assertFalse(r.json()["instant"])
        r = self.api("member", "patch", "/api/v1/alert-preferences/", {"instant": True})
        self.assertTrue(r.json()["instant"])
        pref = AlertPreference.objects.get(membership__user=self.bob)
        self.assertTrue(pref.instant)
        self.assertFalse(AlertPreference.objects.filter(membership__user=self.alice).exists())
        r = self.api("viewer", "patch", "/api/v1/alert-preferences/", {"instant": True})
        self.assertEqual(r.status_code, 403)
        bad = {"quiet_start": "22:00"}
        r = self.api("member", "patch", "/api/v1/alert-preferences/", bad)
        self.assertEqual(r.status_code, 400)
        theirs = self.api("outsider", "get", "/api/v1/names/").json()[0]["id"]
        r = self.api("member", "patch", "/api/v1/alert-preferences/", {"tracked_names": [theirs]})
        self.assertEqual(r.status_code, 400)

    def test_it_manages_webhooks_for_administrators_only(self):
        body = {"url": "https://hooks.example.org/x", "kind": "mattermost"}
        for role in ("owner", "admin"):
            r = self.api(role, "post", "/api/v1/webhooks/", body)
            self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(Webhook.objects.filter(organisation=self.org).count(), 2)
        for role in ("member", "viewer"):
            self.assertEqual(self.api(role, "get", "/api/v1/webhooks/").status_code, 403)
            self.assertEqual(self.api(role, "post", "/api/v1/webhooks/", body).status_code, 403)
        hook = Webhook.objects.filter(organisation=self.org).first()
        listed = self.api("admin", "get", "/api/v1/webhooks/").json()
        self.assertEqual(len(listed), 2)
        self.assertEqual(self.api("outsider", "get", "/api/v1/webhooks/").json(), [])
        r = self.api("outsider", "delete", f"/api/v1/webhooks/{hook.code}/")
        self.assertEqual(r.status_code, 404)
        r = self.api("member", "delete", f"/api/v1/webhooks/{hook.code}/")
        self.assertEqual(r.status_code, 403)
        r = self.api("owner", "delete", f"/api/v1/webhooks/{hook.code}/")
        self.assertEqual(r.status_code, 204)
        self.assertFalse(Webhook.objects.filter(pk=hook.pk).exists())
        r = self.api("owner", "post", "/api/v1/webhooks/", {"url": "ftp://x"})
        self.assertEqual(r.status_code, 400)
