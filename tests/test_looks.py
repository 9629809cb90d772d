"""What every page shares: French punctuation in one helper, the error pages in the
site's layout and language, the favicon, the phone menu's button."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.base import BaseTestCase


class PunctuationTestCase(BaseTestCase):
    def render(self, language):
        with translation.override(language):
            return Template('{% load typography %}{% colon "Mentions" %} {{ t|colon }}').render(
                Context({"t": "A & B"})
            )

    def test_it_puts_a_narrow_no_break_space_before_a_colon_in_french_only(self):
        self.assertEqual(self.render("fr"), "Mentions\u202f: A &amp; B\u202f:")
        self.assertEqual(self.render("en"), "Mentions: A &amp; B:")


class ErrorPagesTestCase(BaseTestCase):
    def test_it_explains_a_refusal_in_the_layout_and_in_french(self):
        self.login(self.viewer)  # a viewer may not add names
        r = self.client.get(reverse("tracked-add", args=[self.org.code]), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "Vous ne pouvez pas faire cela", status_code=403)
        self.assertContains(r, '<main id="main"', status_code=403, html=False)
        self.assertContains(r, reverse("portfolio"), status_code=403)

    def test_it_shows_a_missing_page_in_the_layout(self):
        r = self.client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(r, "Cette page n’existe pas", status_code=404)
        self.assertContains(r, '<html lang="fr">', status_code=404, html=False)


class FaviconTestCase(BaseTestCase):
    def test_it_names_an_icon_on_every_page_and_at_the_usual_address(self):
        r = self.client.get(reverse("login"))
        self.assertContains(r, '<link rel="icon" href="/static/favicon.svg"', html=False)
        r = self.client.get("/favicon.ico")
        self.assertRedirects(
            r, "/static/favicon.svg", status_code=301, fetch_redirect_response=False
        )


class PhoneMenuTestCase(BaseTestCase):
    def test_it_has_a_menu_button_that_controls_the_navigation(self):
        self.login(self.alice)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertContains(
            r, 'class="menu-toggle" aria-expanded="false" aria-controls="menu"', html=False
        )
        self.assertContains(r, '<nav id="menu"', html=False)
        self.assertContains(r, "/static/js/menu.js")
