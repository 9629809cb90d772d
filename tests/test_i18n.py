"""French first: the product's default language is French, English on request."""

from django.urls import reverse

from reputation import settings as product_settings
from tests.base import BaseTestCase


class LanguageTestCase(BaseTestCase):
    def test_it_speaks_french_by_default(self):
        self.assertEqual(product_settings.LANGUAGE_CODE, "fr")
        self.assertEqual([code for code, _ in product_settings.LANGUAGES], ["fr", "en"])

    def test_it_translates_the_dashboard_into_french(self):
        self.login(self.alice)
        url = reverse("dashboard", args=[self.org.code])
        page = self.client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(page, "Dernières mentions")
        self.assertContains(page, "Tableau de bord")
        page = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(page, "Latest mentions")

    def test_it_agrees_the_counters_in_number(self):
        self.login(self.alice)
        page = self.client.get(
            reverse("dashboard", args=[self.org.code]), HTTP_ACCEPT_LANGUAGE="fr"
        )
        self.assertContains(page, "<span>mention</span>", html=False)
        self.assertContains(page, "<span>mention négative</span>", html=False)

    def test_it_translates_the_login_page(self):
        page = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
        self.assertContains(page, "Mot de passe")
