"""Issue 16, defect 1: names that cannot identify anyone are refused with a
sentence; a name that would match much of what is collected is saved with a warning
giving the share."""

from io import StringIO

from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from monitoring.models import Source
from reputation.names import noise
from reputation.names.models import TrackedName
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.names.test_views_tracked import make_item


def test_it_refuses_names_that_identify_nobody():
    for name in ("a", "le", "La", "the", "é", "42", "--", "de la", "l'", "b*", '"le"'):
        assert noise.refusal(name), name


def test_it_accepts_short_real_brands():
    for name in ("EDF", "Fnac", "M6", "HP", "Le Progrès", "boulang*", "L'Oréal", "3 Suisses"):
        assert noise.refusal(name) is None, name


class NoiseTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://example.org/feed.xml", title="Blog")
        Follow.objects.create(organisation=self.org, source=self.source)
        self.url = reverse("tracked-add", args=[self.org.code])
        self.login(self.bob)

    def post(self, label, **kwargs):
        data = {"label": label, "kind": "brand", "action": "save", **kwargs}
        return self.client.post(self.url, data)

    def assertRedirectsToSuggestions(self, r, label):
        # A new name leads to the sources found for it.
        tracked = TrackedName.objects.get(organisation=self.org, label=label)
        url = reverse("suggested-sources", args=[self.org.code, tracked.code])
        self.assertRedirects(r, url, fetch_redirect_response=False)

    def test_it_refuses_a_and_le_with_a_sentence(self):
        for label in ("a", "le"):
            r = self.post(label)
            self.assertEqual(r.status_code, 200)
            self.assertIn("label", r.context["form"].errors)
        self.assertContains(r, "common word")
        r = self.post("Boulangerie Dupont", aliases="Dupont\nles")
        self.assertIn("aliases", r.context["form"].errors)
        self.assertFalse(TrackedName.objects.filter(organisation=self.org).exists())

    def test_it_accepts_edf_and_fnac_without_a_warning(self):
        for n in range(60):
            make_item(self.source, n, f"Le marché de Lyon, épisode {n}", "Rien à signaler.")
        for label in ("EDF", "Fnac"):
            r = self.post(label)
            self.assertRedirectsToSuggestions(r, label)
            levels = [m.level_tag for m in get_messages(r.wsgi_request)]
            self.assertNotIn("warning", levels)
        self.assertEqual(TrackedName.objects.filter(organisation=self.org).count(), 2)

    def test_it_warns_with_the_share_a_noisy_name_matches(self):
        # 30 of 60 items name the town: "Lyon" would match half of them.
        for n in range(60):
            where = "Lyon" if n % 2 else "Paris"
            make_item(self.source, n, f"Nouvelle boutique à {where}", "Ouverture samedi.")
        r = self.post("Lyon")
        self.assertRedirectsToSuggestions(r, "Lyon")
        warnings = [str(m) for m in get_messages(r.wsgi_request) if m.level_tag == "warning"]
        self.assertEqual(len(warnings), 1)
        self.assertIn("50 % of the 60 items", warnings[0])

    def test_it_refuses_and_warns_in_the_track_command(self):
        with self.assertRaisesMessage(CommandError, "common word"):
            call_command("track", self.org.slug, "le", stdout=StringIO())
        for n in range(60):
            make_item(self.source, n, f"Lyon, jour {n}")
        err = StringIO()
        call_command("track", self.org.slug, "Lyon", stdout=StringIO(), stderr=err)
        self.assertIn("100 % of the 60 items", err.getvalue())
