"""Sign-up, client organisations, the switcher and organisation settings."""

import re
import zoneinfo

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reputation.orgs.models import Membership, Organisation, Role
from tests.base import BaseTestCase

STRONG = "un-mot-de-passe-solide"


class SignupTestCase(BaseTestCase):
    url = reverse("signup")

    def test_it_creates_the_organisation_and_its_owner_once_the_address_is_confirmed(self):
        r = self.client.post(
            self.url,
            {
                "organisation": "Boulangerie Dupont",
                "name": "Marie",
                "email": "Marie@Dupont.fr",
                "password": STRONG,
            },
        )
        self.assertContains(r, "Check your email")
        self.assertFalse(User.objects.filter(email="marie@dupont.fr").exists())
        [message] = mail.outbox
        self.assertEqual(message.to, ["marie@dupont.fr"])
        self.assertNotIn("Boulangerie", message.subject + message.body)
        path = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
        self.assertContains(self.client.get(path), "Boulangerie Dupont")
        r = self.client.post(path)
        org = Organisation.objects.get(name="Boulangerie Dupont")
        # The business's name, town and website, then the sources found for it.
        self.assertRedirects(r, reverse("tracked-add", args=[org.code]))
        user = User.objects.get(email="marie@dupont.fr")
        self.assertTrue(user.check_password(STRONG))
        self.assertEqual(user.first_name, "Marie")
        self.assertEqual(Membership.objects.get(user=user, organisation=org).role, Role.OWNER)
        self.assertEqual(org.slug, "boulangerie-dupont")
        self.assertEqual(org.language, "en")  # the language the page was shown in
        # Logged in.
        self.assertEqual(
            self.client.get(reverse("tracked-names", args=[org.code])).status_code, 200
        )
        # The link works once.
        self.client.logout()
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_it_refuses_a_weak_password(self):
        r = self.client.post(
            self.url, {"organisation": "X", "email": "alice@example.org", "password": "123"}
        )
        self.assertContains(r, "This password is too short")
        self.assertNotContains(r, "already")
        self.assertFalse(Organisation.objects.filter(name="X").exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_it_gives_each_organisation_its_own_slug(self):
        self.login(self.alice)
        url = reverse("org-add")
        for _ in range(2):
            self.client.post(
                url, {"name": "Alice & Co", "time_zone": "Europe/Paris", "language": "fr"}
            )
        self.assertEqual(Organisation.objects.filter(name="Alice & Co").count(), 3)
        self.assertEqual(len(set(Organisation.objects.values_list("slug", flat=True))), 4)

    def test_it_shows_the_form(self):
        self.assertContains(self.client.get(self.url), "Create your account")
        self.login(self.alice)
        self.assertRedirects(self.client.get(self.url), reverse("org-add"))


class ClientTestCase(BaseTestCase):
    def test_it_lets_a_consultant_add_a_client(self):
        self.login(self.bob)
        r = self.client.post(
            reverse("org-add"),
            {"name": "Garage Martin", "time_zone": "America/Montreal", "language": "en"},
        )
        org = Organisation.objects.get(name="Garage Martin")
        self.assertRedirects(r, reverse("tracked-names", args=[org.code]))
        self.assertEqual((org.time_zone, org.language), ("America/Montreal", "en"))
        self.assertEqual(Membership.objects.get(user=self.bob, organisation=org).role, Role.OWNER)

    def test_it_switches_to_the_same_section_of_another_client(self):
        self.login(self.bob)
        client = Organisation.objects.create(slug="garage", name="Garage Martin")
        Membership.objects.create(user=self.bob, organisation=client, role=Role.OWNER)
        r = self.client.get(reverse("inbox", args=[self.org.code]))
        self.assertContains(r, "Garage Martin")  # the switcher lists every client
        self.assertContains(r, f'<option value="{self.org.code}" selected>Alice &amp; Co')
        came_from = reverse("mention-detail", args=[self.org.code, self.org.code])
        r = self.client.get(reverse("switch-org"), {"to": str(client.code), "from": came_from})
        self.assertRedirects(r, reverse("inbox", args=[client.code]), fetch_redirect_response=False)
        r = self.client.get(reverse("switch-org"), {"to": str(client.code), "from": "/"})
        self.assertRedirects(r, reverse("dashboard", args=[client.code]))

    def test_it_does_not_switch_to_someone_elses_organisation(self):
        self.login(self.bob)
        r = self.client.get(reverse("switch-org"), {"to": str(self.other_org.code)})
        self.assertEqual(r.status_code, 404)
        r = self.client.get(reverse("switch-org"), {"to": "nope"})
        self.assertEqual(r.status_code, 404)


class SettingsTestCase(BaseTestCase):
    def url(self):
        return reverse("org-settings", args=[self.org.code])

    def test_it_lets_the_owner_change_name_time_zone_and_language(self):
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "Europe/Paris")
        r = self.client.post(
            self.url(), {"name": "Alice et Cie", "time_zone": "Europe/Brussels", "language": "en"}
        )
        self.assertRedirects(r, self.url())
        self.org.refresh_from_db()
        self.assertEqual(
            (self.org.name, self.org.time_zone, self.org.language),
            ("Alice et Cie", "Europe/Brussels", "en"),
        )

    def test_it_refuses_an_unknown_time_zone(self):
        self.login(self.alice)
        r = self.client.post(self.url(), {"name": "A", "time_zone": "Mars/Base", "language": "fr"})
        self.assertContains(r, "Select a valid choice")

    def test_it_refuses_settings_to_members_viewers_and_outsiders(self):
        for user in (self.bob, self.viewer):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 403)
            r = self.client.post(self.url(), {"name": "X", "time_zone": "UTC", "language": "fr"})
            self.assertEqual(r.status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.org.refresh_from_db()
        self.assertEqual(self.org.name, "Alice & Co")

    def test_it_shows_dates_in_the_organisations_time_zone(self):
        from tests.inbox_data import add_mentions

        self.org.time_zone = "America/Montreal"
        self.org.save()
        mention = add_mentions(self.org, 1)[0]
        self.login(self.alice)
        r = self.client.get(reverse("mention-detail", args=[self.org.code, mention.code]))
        there = timezone.localtime(mention.published, zoneinfo.ZoneInfo("America/Montreal"))
        self.assertContains(r, f'datetime="{there.isoformat()}"')
        # The next request, outside any organisation, is back in the server's zone.
        self.client.get(reverse("index"))
        self.assertEqual(timezone.get_current_timezone_name(), "Europe/Paris")


class SignupTimeZoneTestCase(BaseTestCase):
    def test_it_offers_the_time_zone_list_and_gives_it_to_the_organisation(self):
        r = self.client.get(reverse("signup"))
        self.assertContains(r, '<select name="time_zone"', html=False)
        self.assertContains(r, '<option value="Europe/Paris" selected>', html=False)
        data = {"organisation": "Café Montréal", "email": "jo@cafe.ca", "password": STRONG}
        self.client.post(reverse("signup"), {**data, "time_zone": "America/Montreal"})
        path = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
        self.client.post(path)
        org = Organisation.objects.get(name="Café Montréal")
        self.assertEqual(org.time_zone, "America/Montreal")

    def test_it_refuses_a_zone_not_in_the_list(self):
        data = {
            "organisation": "X",
            "email": "x@x.fr",
            "password": STRONG,
            "time_zone": "Mars/Olympus",
        }
        r = self.client.post(reverse("signup"), data)
        self.assertContains(r, "Mars/Olympus")
        self.assertEqual(len(mail.outbox), 0)
