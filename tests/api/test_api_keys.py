"""API keys: made on the organisation's page, shown once, stored hashed, scoped
within the member's role, revoked, and refused once the member is demoted or gone."""

import hashlib

from reputation.api.models import ADMIN, READ, WRITE, ApiKey
from reputation.orgs.models import Membership, Role
from tests.api_base import ApiTestCase

ORGS = "/api/v1/organisations/"


class KeyTests(ApiTestCase):
    def test_it_shows_the_key_once_and_stores_only_its_hash(self):
        self.login(self.bob)
        url = f"/org/{self.org.code}/api-keys/"
        r = self.client.post(url, {"name": "CRM", "scopes": [READ, WRITE]})
        self.assertEqual(r.status_code, 200)
        token = r.context["token"]
        self.assertContains(r, token)
        key = ApiKey.objects.get(name="CRM")
        self.assertEqual(key.user, self.bob)
        self.assertEqual(key.scopes, [READ, WRITE])
        secret = token.split("_", 2)[2]
        self.assertEqual(key.hashed, hashlib.sha256(secret.encode()).hexdigest())
        self.assertNotIn(secret, str(ApiKey.objects.filter(pk=key.pk).values().first()))
        again = self.client.get(url)
        self.assertNotContains(again, token)
        self.assertContains(again, key.shown)
        ok = self.client.get(ORGS, HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(ok.status_code, 200)

    def test_it_refuses_scopes_beyond_the_role(self):
        self.login(self.viewer)
        url = f"/org/{self.org.code}/api-keys/"
        r = self.client.post(url, {"name": "x", "scopes": [WRITE]})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["token"], "")
        self.assertFalse(ApiKey.objects.filter(name="x").exists())
        self.login(self.bob)
        self.client.post(url, {"name": "y", "scopes": [ADMIN]})
        self.assertFalse(ApiKey.objects.filter(name="y").exists())
        membership = Membership.objects.get(user=self.viewer, organisation=self.org)
        with self.assertRaises(ValueError):
            ApiKey.issue(membership, "z", [READ, WRITE])

    def test_it_hides_the_page_from_outsiders(self):
        self.login(self.charlie)
        r = self.client.get(f"/org/{self.org.code}/api-keys/")
        self.assertEqual(r.status_code, 404)

    def test_it_revokes_a_key(self):
        key = ApiKey.objects.get(user=self.bob)
        self.login(self.bob)
        r = self.client.post(f"/org/{self.org.code}/api-keys/{key.code}/revoke/")
        self.assertEqual(r.status_code, 302)
        r = self.api("member", "get", ORGS)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r["Content-Type"], "application/problem+json")

    def test_it_lets_only_the_owner_of_a_key_or_a_manager_revoke_it(self):
        key = ApiKey.objects.get(user=self.alice)
        self.login(self.bob)
        r = self.client.post(f"/org/{self.org.code}/api-keys/{key.code}/revoke/")
        self.assertEqual(r.status_code, 404)
        self.login(self.charlie)
        r = self.client.post(f"/org/{self.org.code}/api-keys/{key.code}/revoke/")
        self.assertEqual(r.status_code, 404)
        key.refresh_from_db()
        self.assertIsNone(key.revoked)
        self.login(self.admin)
        self.client.post(f"/org/{self.org.code}/api-keys/{key.code}/revoke/")
        key.refresh_from_db()
        self.assertIsNotNone(key.revoked)

    def test_it_stops_a_removed_members_key(self):
        Membership.objects.filter(user=self.bob).delete()
        self.assertEqual(self.api("member", "get", ORGS).status_code, 401)

    def test_it_stops_a_demoted_members_key(self):
        self.assertEqual(self.api("admin", "get", "/api/v1/webhooks/").status_code, 200)
        Membership.objects.filter(user=self.admin).update(role=Role.VIEWER)
        r = self.api("admin", "get", ORGS)
        self.assertEqual(r.status_code, 401)
        self.assertIn("role", r.json()["detail"])

    def test_it_refuses_a_wrong_secret_with_a_known_prefix(self):
        token = self.tokens["member"]
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        r = self.client.get(ORGS, HTTP_AUTHORIZATION=f"Bearer {forged}")
        self.assertEqual(r.status_code, 401)
        self.assertIn("WWW-Authenticate", r)
        r = self.client.get(ORGS, HTTP_AUTHORIZATION="Basic abc")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(self.client.get(ORGS).status_code, 401)
