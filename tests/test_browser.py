"""In a real browser (Debian's chromium driven by Playwright), on a phone-sized screen:
log in, read the dashboard in French, switch to English, and nothing overflows."""

from pathlib import Path

from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import make_user
from tests.browser import BrowserTestCase, open_menu
from tests.browser import marks as browser_marks

SHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}

pytestmark = browser_marks


class PhoneTestCase(BrowserTestCase):
    def setUp(self):
        self.user = make_user("marie@dupont.fr", "un-mot-de-passe-solide")
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        Membership.objects.create(user=self.user, organisation=self.org, role=Role.OWNER)
        tracked = TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        source = Source.objects.create(url="https://journal.example/feed")
        long_title = "Boulangerie Dupont " + "très-long-mot-sans-espace" * 8
        item = Item.objects.create(
            source=source,
            url="https://journal.example/a/1",
            guid_hash="1",
            title=long_title,
            text="Accueil désagréable chez Boulangerie Dupont.",
            published=timezone.now(),
        )
        Mention.objects.create(
            organisation=self.org,
            tracked_name=tracked,
            item=item,
            source=source,
            published=item.published,
            snippet="Accueil désagréable chez Boulangerie Dupont.",
            highlights=[[25, 43]],
            sentiment="negative",
            language="fr",
        )
        self.page = self.browser.new_page(viewport=PHONE, locale="fr-FR")
        self.addCleanup(self.page.close)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def assert_fits_the_screen(self):
        overflow = self.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0, "the page scrolls sideways on a phone")

    def test_it_works_on_a_phone_in_french_then_english(self):
        page = self.page
        page.goto(self.live_server_url + "/")
        page.fill("#id_username", "marie@dupont.fr")
        page.fill("#id_password", "un-mot-de-passe-solide")
        page.click("button[type=submit]")
        page.wait_for_selector(".mention")
        self.assertIn("Boulangerie Dupont", page.inner_text("h1"))
        self.assertIn("Négatif", page.inner_text(".mention"))
        self.assert_fits_the_screen()
        page.screenshot(path=str(SHOTS / "dashboard-phone-fr.png"), full_page=True)

        open_menu(page)
        page.click("button[name=language][value=en]")
        page.wait_for_selector(".mention")
        self.assertIn("Negative", page.inner_text(".mention"))
        self.assert_fits_the_screen()
        page.screenshot(path=str(SHOTS / "dashboard-phone-en.png"), full_page=True)

    def test_it_runs_no_injected_inline_script(self):
        # Issue 9, point 10: the Content-Security-Policy blocks inline scripts and
        # event handlers, and nothing the product itself uses.
        page = self.page
        violations = []
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(self.live_server_url + "/")
        page.fill("#id_username", "marie@dupont.fr")
        page.fill("#id_password", "un-mot-de-passe-solide")
        page.click("button[type=submit]")
        page.wait_for_selector(".mention")
        self.assertEqual(violations, [], "the product's own pages break its policy")
        ran = page.evaluate(
            """() => new Promise(done => {
                const s = document.createElement("script");
                s.textContent = "window.__script = true";
                document.body.appendChild(s);
                const i = document.createElement("img");
                i.setAttribute("onerror", "window.__handler = true");
                i.src = "/missing.png";
                document.body.appendChild(i);
                setTimeout(() => done([!!window.__script, !!window.__handler]), 500);
            })"""
        )
        self.assertEqual(ran, [False, False])
