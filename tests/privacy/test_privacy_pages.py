"""The privacy pages: roles, the public request page, the export zip, deleting an
organisation, the processing register and the audit log."""

import io
import json
import zipfile

from django.core.cache import cache
from django.test import override_settings

from monitoring.models import Item, Source
from reputation.dashboard.models import DailyCount
from reputation.inbox.models import Note, Tag
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.privacy.models import AuditEvent, ErasedAuthor, PrivacyRequest, PrivacySettings
from reputation.sources.models import Follow
from tests.base import make_user
from tests.privacy.test_privacy import PrivacyTestCase


class RolesTestCase(PrivacyTestCase):
    def urls(self):
        base = f"/org/{self.org.code}/privacy/"
        return {
            "page": ("get", base, {}),
            "register": ("get", base + "register/", {}),
            "retention": ("post", base + "retention/", {"retention_months": "6"}),
            "erase": ("post", base + "erase/", {"name": "Jean Dupont"}),
            "export": ("post", base + "export/", {}),
            "delete": ("post", base + "delete/", {"confirm": self.org.name}),
        }

    def test_it_refuses_viewers_and_members_and_hides_from_outsiders(self):
        for user, status in ((self.viewer, 403), (self.bob, 403), (self.charlie, 404)):
            self.login(user)
            for name, (method, url, data) in self.urls().items():
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, status, (user.email, name))
        self.assertTrue(Organisation.objects.filter(pk=self.org.pk).exists())
        self.assertFalse(ErasedAuthor.objects.exists())
        self.assertFalse(PrivacySettings.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_lets_admins_manage_but_not_export_nor_delete(self):
        admin = make_user("ada@example.org")
        Membership.objects.create(user=admin, organisation=self.org, role=Role.ADMIN)
        self.login(admin)
        urls = self.urls()
        for name in ("page", "register"):
            self.assertEqual(self.client.get(urls[name][1]).status_code, 200, name)
        for name in ("export", "delete"):
            self.assertEqual(self.client.post(urls[name][1], urls[name][2]).status_code, 403)
        self.assertEqual(self.client.post(*urls["retention"][1:]).status_code, 302)
        self.assertEqual(PrivacySettings.months_of(self.org), 6)
        event = AuditEvent.objects.get(action="retention")
        self.assertEqual((event.user, event.details), (admin, {"old": 13, "new": 6}))


class ExportTestCase(PrivacyTestCase):
    def test_it_exports_the_organisation_and_nothing_of_another(self):
        Follow.objects.create(organisation=self.other_org, source=self.source)
        TrackedName.objects.create(organisation=self.other_org, label="Maison Rivoire")
        TrackedName.objects.create(organisation=self.other_org, label="Secret Charlie")
        self.record(self.item("exportee", "Jean Dupont"))
        mine = Mention.objects.get(organisation=self.org)
        Note.objects.create(mention=mine, author=self.alice, text="Rappeler le client")
        Tag.objects.create(organisation=self.org, name="urgent").mentions.add(mine)
        theirs = Mention.objects.get(organisation=self.other_org)
        Note.objects.create(mention=theirs, author=self.charlie, text="Note de Charlie")
        mine.set_status(self.bob, "handled")

        self.login(self.alice)
        response = self.client.post(f"/org/{self.org.code}/privacy/export/")
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertIn("mentions.csv", archive.namelist())
        data = json.loads(archive.read("data.json"))
        self.assertEqual(data["organisation"][0]["name"], "Alice & Co")
        self.assertEqual(
            sorted(m["email"] for m in data["members"]),
            ["alice@example.org", "bob@example.org", "vera@example.org"],
        )
        self.assertEqual([m["id"] for m in data["mentions"]], [str(mine.code)])
        self.assertEqual(data["mentions"][0]["tags"], ["urgent"])
        self.assertEqual([n["text"] for n in data["notes"]], ["Rappeler le client"])
        self.assertEqual([e["new"] for e in data["mention_events"]], ["handled"])
        self.assertEqual([f["url"] for f in data["follows"]], [self.source.url])
        everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
        for foreign in (
            "charlie@example.org",
            "Secret Charlie",
            "Note de Charlie",
            str(theirs.code),
        ):
            self.assertNotIn(foreign, everything)
        self.assertIn("Jean Dupont", archive.read("mentions.csv").decode())
        self.assertEqual(AuditEvent.objects.get(action="export").user, self.alice)


class DeletionTestCase(PrivacyTestCase):
    def test_it_needs_the_name_typed(self):
        self.login(self.alice)
        response = self.client.post(f"/org/{self.org.code}/privacy/delete/", {"confirm": "Alice"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "nothing was deleted")
        self.assertTrue(Organisation.objects.filter(pk=self.org.pk).exists())

    def test_it_deletes_what_only_it_owns_and_keeps_what_others_use(self):
        shared = self.source
        Follow.objects.create(organisation=self.other_org, source=shared)
        TrackedName.objects.create(organisation=self.other_org, label="Maison Rivoire")
        own = Source.objects.create(url="https://seulement-alice.example/feed")
        Follow.objects.create(organisation=self.org, source=own)
        self.record(self.item("commune", "A"))
        self.record(self.item("privee", "B", source=own), source=own)
        self.assertEqual(Mention.objects.filter(organisation=self.org).count(), 2)

        self.login(self.alice)
        response = self.client.post(
            f"/org/{self.org.code}/privacy/delete/", {"confirm": "Alice & Co"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

        self.assertFalse(Organisation.objects.filter(pk=self.org.pk).exists())
        self.assertFalse(Mention.objects.filter(organisation_id=self.org.pk).exists())
        self.assertFalse(DailyCount.objects.filter(organisation_id=self.org.pk).exists())
        self.assertFalse(Source.objects.filter(pk=own.pk).exists())
        self.assertEqual(list(Item.objects.values_list("title", flat=True)), ["Avis commune"])
        self.assertTrue(Source.objects.filter(pk=shared.pk).exists())
        self.assertEqual(Mention.objects.filter(organisation=self.other_org).count(), 1)
        event = AuditEvent.objects.get(action="delete_org")
        self.assertEqual((event.organisation, event.organisation_name), (None, "Alice & Co"))


class RegisterAndAuditTestCase(PrivacyTestCase):
    def test_it_generates_the_register_from_the_settings(self):
        PrivacySettings.objects.create(organisation=self.org, retention_months=7)
        self.login(self.alice)
        url = f"/org/{self.org.code}/privacy/register/"
        page = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        for text in (
            "Maison Rivoire",
            "avis.example (1)",
            "7 months",
            "Alice &amp; Co",
            "No transfer",
        ):
            self.assertContains(page, text)
        self.assertNotContains(page, "Charlie")
        csv_text = self.client.get(url, {"format": "csv"}).content.decode()
        self.assertIn("Maison Rivoire", csv_text)
        markdown = self.client.get(url, {"format": "md"}).content.decode()
        self.assertIn("## ", markdown)
        self.assertIn("7", markdown)

    def test_it_logs_role_changes_and_removals_and_shows_them(self):
        self.login(self.alice)
        bob = Membership.objects.get(user=self.bob)
        self.client.post(f"/org/{self.org.code}/members/role/", {"member": bob.pk, "role": "admin"})
        self.client.post(f"/org/{self.org.code}/members/remove/", {"member": bob.pk})
        actions = list(AuditEvent.objects.order_by("pk").values_list("action", "details"))
        self.assertEqual(
            actions,
            [
                ("role", {"member": "bob@example.org", "old": "member", "new": "admin"}),
                ("remove_member", {"member": "bob@example.org", "old": "admin", "new": ""}),
            ],
        )
        page = self.client.get(f"/org/{self.org.code}/privacy/")
        self.assertContains(page, "bob@example.org")
        self.login(self.charlie)
        self.assertEqual(self.client.get(f"/org/{self.org.code}/privacy/").status_code, 404)


@override_settings(
    RATE_LIMITS={"privacy_per_client": 3, "privacy_per_email": 2},
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
class PublicPageTestCase(PrivacyTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def ask(self, **data):
        form = {"kind": "erasure", "name": "Jean Dupont", "email": "jean@example.net"}
        return self.client.post("/privacy/", {**form, **data})

    def test_it_says_what_is_collected_in_french_and_english(self):
        fr = self.client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="fr")
        en = self.client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(en, "What is collected, and from where")
        self.assertContains(en, "robots.txt")
        self.assertContains(en, "/about/bot/")
        self.assertContains(fr, "robots.txt")
        self.assertEqual(fr.status_code, 200)

    def test_it_routes_a_request_to_the_named_organisation_with_its_deadline(self):
        response = self.ask(organisation_named="alice & co")
        self.assertRedirects(response, "/privacy/sent/")
        req = PrivacyRequest.objects.get()
        self.assertEqual(req.organisation, self.org)
        self.assertEqual((req.due - req.created).days, 30)
        self.login(self.alice)
        self.assertContains(self.client.get(f"/org/{self.org.code}/privacy/"), "jean@example.net")
        self.login(self.charlie)
        self.assertNotContains(
            self.client.get(f"/org/{self.other_org.code}/privacy/"), "jean@example.net"
        )

    def test_it_leaves_an_unknown_organisation_to_the_operator(self):
        self.assertRedirects(self.ask(organisation_named="Inconnue SARL"), "/privacy/sent/")
        req = PrivacyRequest.objects.get()
        self.assertIsNone(req.organisation)
        self.assertEqual(req.organisation_named, "Inconnue SARL")

    def test_it_rate_limits_by_email_and_client(self):
        for _ in range(2):
            self.assertEqual(self.ask().status_code, 302)
        self.assertEqual(self.ask().status_code, 429)
        self.assertEqual(self.ask(email="autre@example.net").status_code, 429)  # the client's 4th
        self.assertEqual(PrivacyRequest.objects.count(), 2)

    def test_it_rejects_bad_input_with_a_sentence(self):
        response = self.ask(email="pas-une-adresse", kind="nimportequoi")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PrivacyRequest.objects.exists())
        errors = response.context["form"].errors
        self.assertEqual(set(errors), {"email", "kind"})

    def test_it_lets_an_admin_mark_a_request_answered(self):
        self.ask(organisation_named="Alice & Co")
        req = PrivacyRequest.objects.get()
        self.login(self.viewer)
        url = f"/org/{self.org.code}/privacy/requests/{req.code}/"
        self.assertEqual(self.client.post(url, {"status": "done"}).status_code, 403)
        self.login(self.alice)
        self.client.post(url, {"status": "done"})
        req.refresh_from_db()
        self.assertEqual((req.status, req.handled_by), ("done", self.alice))
        self.login(self.charlie)
        other = f"/org/{self.other_org.code}/privacy/requests/{req.code}/"
        self.assertEqual(self.client.post(other, {"status": "refused"}).status_code, 404)
