"""In a real browser, on a laptop in French and on a phone in English: a consultant's
inbox across clients (the client column and filter, ticks only where they may write,
a bulk status across clients) and the switcher going on selection with the filters.
Screenshots go to var/test/screenshots/."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from reputation.mentions.models import Mention
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import make_user
from tests.browser import BrowserTestCase, open_menu
from tests.browser import marks as browser_marks
from tests.inbox_data import add_mentions

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"
VIEWPORTS = {"laptop": {"width": 1366, "height": 860}, "phone": {"width": 390, "height": 844}}
PASSWORD = "un-mot-de-passe-solide"

pytestmark = browser_marks


class CrossClientBrowserTestCase(BrowserTestCase):
    def setUp(self):
        self.cora = make_user("cora@conseil.fr", PASSWORD)
        self.dupont = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        self.bistro = Organisation.objects.create(slug="bistro", name="Bistro Bleu")
        Membership.objects.create(user=self.cora, organisation=self.dupont, role=Role.ADMIN)
        Membership.objects.create(user=self.cora, organisation=self.bistro, role=Role.VIEWER)
        now = timezone.now()
        self.mine = add_mentions(
            self.dupont, 3, start=now, title="Pain rassis chez Dupont", sentiment="negative"
        )
        self.theirs = add_mentions(
            self.bistro, 2, start=now - timedelta(minutes=1), title="Service lent au Bistro",
            sentiment="negative",
        )  # fmt: skip
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, page, name, device):
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0, f"{name} scrolls sideways on the {device}")
        page.screenshot(path=str(SHOTS / f"{name}-{device}.png"), full_page=True)

    def run_day(self, device, locale, words):
        context = self.browser.new_context(viewport=VIEWPORTS[device], locale=locale)
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(self.live_server_url + "/login/")
        page.fill("#id_username", "cora@conseil.fr")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

        # From "Your organisations" to every client's mentions.
        page.goto(self.live_server_url + "/portfolio/")
        page.click(f"main >> text={words['all']}")
        page.wait_for_selector(".mention")
        self.assertEqual(page.locator(".mention").count(), 5)
        self.assertEqual(page.locator(".mention .client").count(), 5)
        self.assertIn("Bistro Bleu", page.inner_text(".mentions"))
        # Ticks on Dupont's mentions only (Cora only reads Bistro's).
        self.assertEqual(page.locator("input[name=mentions]").count(), 3)
        self.shot(page, f"all-clients-{locale}", device)

        # The client filter.
        page.click("details.filters summary")
        page.select_option("#id_client", label="Bistro Bleu")
        page.click("details.filters button[type=submit]")
        page.wait_for_selector(".mention")
        self.assertEqual(page.locator(".mention").count(), 2)
        self.assertNotIn("Pain rassis", page.inner_text(".mentions"))

        # A bulk status on Dupont's mentions, from the list of all clients.
        page.goto(self.live_server_url + "/inbox/?sentiment=negative")
        page.check(f"#pick-{self.mine[0].code}")
        page.check(f"#pick-{self.mine[1].code}")
        page.select_option("#id_action", value="status:handled")
        page.click(".bulk-bar button")
        page.wait_for_selector(f"text={words['changed']}")
        handled = Mention.objects.filter(organisation=self.dupont, status="handled").count()
        self.assertEqual(handled, 2)
        self.shot(page, f"all-clients-bulk-{locale}", device)

        # A client's inbox, filtered, then the other client on selection, same filters.
        page.goto(f"{self.live_server_url}/org/{self.dupont.code}/mentions/?sentiment=negative")
        open_menu(page)  # on a phone, the switcher is in the menu
        page.select_option("#switch-to", label="Bistro Bleu")
        page.wait_for_url(f"**/org/{self.bistro.code}/mentions/?sentiment=negative")
        self.assertEqual(page.locator(".mention").count(), 2)

    def test_it_works_on_a_laptop_in_french(self):
        self.run_day(
            "laptop", "fr-FR", {"all": "Mentions de tous mes clients", "changed": "2 mentions"}
        )

    def test_it_works_on_a_phone_in_english(self):
        self.run_day(
            "phone", "en-GB", {"all": "Mentions of all my clients", "changed": "2 mentions changed"}
        )
