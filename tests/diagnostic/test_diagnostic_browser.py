"""The free diagnostic in a real browser (Debian's chromium), in French then English:
fill the form, wait for the result, see the score. The task runs eagerly (in the
request) against local sites: no network, no worker."""

from celery import current_app
from django.test import override_settings

from tests.browser import BrowserTestCase
from tests.browser import marks as browser_marks
from tests.diagnostic_sites import NAME, TOWN, serve
from tests.httpserver import LocalServer

pytestmark = browser_marks


class DiagnosticBrowserTestCase(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sites = LocalServer()
        cls.sites.start()
        cls.overrides = override_settings(CELERY_TASK_ALWAYS_EAGER=True, **serve(cls.sites))
        cls.overrides.enable()
        current_app.conf.task_always_eager = True

    @classmethod
    def tearDownClass(cls):
        current_app.conf.task_always_eager = False
        cls.overrides.disable()
        cls.sites.stop()
        super().tearDownClass()

    def diagnose(self, locale: str):
        page = self.browser.new_page(locale=locale)
        self.addCleanup(page.close)
        page.goto(self.live_server_url + "/diagnostic/")
        page.fill("#id_name", NAME)
        page.fill("#id_town", TOWN)
        page.fill("#id_website", self.sites.url("/site/"))
        page.click("#diagnostic-form button[type=submit]")
        page.wait_for_selector("#diagnostic-score", timeout=60_000)
        return page

    def test_it_gives_the_snapshot_in_french_then_english(self):
        page = self.diagnose("fr-FR")
        self.assertIn("E-réputation de Boulangerie Dupont", page.inner_text("h1"))
        score = int(page.inner_text("#diagnostic-score strong"))
        self.assertGreater(score, 0)
        self.assertIn("Ce qui fait la note", page.content())
        self.assertEqual(page.inner_text("#monitor-this"), "Surveiller cela")
        self.assertEqual(page.locator(".diagnostic-advice li").count() in (3, 4, 5), True)

        page = self.diagnose("en-US")
        self.assertIn("E-reputation of Boulangerie Dupont", page.inner_text("h1"))
        self.assertEqual(int(page.inner_text("#diagnostic-score strong")), score)
        self.assertIn("What makes the score", page.content())
        self.assertEqual(page.inner_text("#monitor-this"), "Monitor this")
        self.assertIn("Accueil désagréable à la Boulangerie Dupont", page.content())
