"""A new owner, right after confirming the sign-up, types the business's town and
website, sees the sources found for it (at least five) and follows one in one click:
in a real browser (Debian's chromium), on a laptop in English and on a phone in
French, against local sites standing in for the demo's offline ones."""

from django.contrib.auth.hashers import make_password
from django.test import override_settings

from reputation.accounts.models import PendingSignup
from reputation.sources.models import Follow
from tests.browser import BrowserTestCase
from tests.browser import marks as browser_marks
from tests.httpserver import LocalServer
from tests.suggestion_sites import NAME, TOWN, serve

pytestmark = browser_marks

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


class SuggestionsBrowserTestCase(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sites = LocalServer()
        cls.sites.start()
        cls.overrides = override_settings(**serve(cls.sites))
        cls.overrides.enable()

    @classmethod
    def tearDownClass(cls):
        cls.overrides.disable()
        cls.sites.stop()
        super().tearDownClass()

    def sign_up_and_find(self, email: str, locale: str, viewport: dict):
        pending = PendingSignup(
            email=email, organisation=NAME, password=make_password("x"), language=locale[:2]
        )
        token = pending.new_token()
        pending.save()
        page = self.browser.new_page(locale=locale, viewport=viewport)
        self.addCleanup(page.close)
        page.goto(f"{self.live_server_url}/signup/confirm/{token}/")
        page.click("main form button[type=submit]")
        # The business's name is offered; the owner types its town and website.
        page.wait_for_selector("#id_town")
        self.assertEqual(page.input_value("#id_label"), NAME)
        page.fill("#id_town", TOWN)
        page.fill("#id_website", self.sites.url("/site/"))
        page.click("button[name=action][value=save]")
        page.wait_for_selector(".suggestion", timeout=30_000)
        self.assertGreaterEqual(page.locator(".suggestion").count(), 5)
        self.assertEqual(page.locator(".suggestion button.follow").count(), 5)
        fits = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(fits, 0, "the page scrolls sideways")
        # One click follows the first suggestion; the page says so.
        page.locator(".suggestion button.follow").first.click()
        page.wait_for_selector(".suggestion .followed")
        self.assertEqual(page.locator(".suggestion button.follow").count(), 4)
        self.assertEqual(Follow.objects.filter(organisation__name=NAME).count(), 1)
        return page

    def test_it_finds_sources_for_a_new_owner_on_a_laptop_in_english(self):
        page = self.sign_up_and_find("marie@dupont.fr", "en-US", LAPTOP)
        self.assertEqual(page.inner_text("h1"), "Here is what we found for you")
        self.assertIn("Villeurbanne", page.inner_text(".suggestion"))

    def test_it_finds_sources_for_a_new_owner_on_a_phone_in_french(self):
        page = self.sign_up_and_find("paul@dupont.fr", "fr-FR", PHONE)
        self.assertEqual(page.inner_text("h1"), "Voici ce que nous avons trouvé pour vous")
        self.assertIn("Suivi", page.inner_text(".suggestion .followed"))
