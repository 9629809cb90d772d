"""In a real browser (Debian's chromium driven by Playwright), on a laptop and on a
phone: the dashboard's charts are drawn by the vendored Chart.js, each readable as
a table, nothing overflows, in French and in English. Screenshots are saved under
var/test/screenshots/ for people to look at."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import make_user
from tests.browser import BrowserTestCase, open_menu
from tests.browser import marks as browser_marks

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
CHARTS = ["tones", "net", "share", "sources", "authors", "aspects"]

pytestmark = browser_marks

# Pixels of a canvas that are not transparent: a drawn chart has many.
DRAWN = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}"""


class DashboardBrowserTestCase(BrowserTestCase):
    def setUp(self):
        self.user = make_user("marie@dupont.fr", "un-mot-de-passe-solide")
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        Membership.objects.create(user=self.user, organisation=self.org, role=Role.OWNER)
        own = TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        rival = TrackedName.objects.create(
            organisation=self.org, label="Maison Martin", kind=TrackedKind.COMPETITOR
        )
        sources = [
            Source.objects.create(url=f"https://site{i}.example/feed", title=f"Site {i}")
            for i in range(3)
        ]
        now, mentions = timezone.now(), []
        tones = ["positive", "neutral", "negative", "positive"]
        aspects = [["price"], ["reception"], [], ["quality", "staff"]]
        for i in range(60):
            published = now - timedelta(hours=11 * i)
            item = Item.objects.create(
                source=sources[i % 3],
                guid_hash=str(i),
                url=f"https://site{i % 3}.example/{i}",
                title=f"Avis {i} sur la Boulangerie Dupont",
                author=f"Auteur {i % 7}",
                published=published,
            )
            mentions.append(
                Mention(
                    organisation=self.org,
                    tracked_name=rival if i % 5 == 0 else own,
                    item=item,
                    source=sources[i % 3],
                    published=published,
                    snippet=item.title,
                    title=item.title,
                    author=item.author,
                    sentiment=tones[i % 4],
                    aspects=aspects[i % 4],
                    language="fr",
                )
            )
        save_mentions(PendingMentions(mentions))
        SHOTS.mkdir(parents=True, exist_ok=True)

    def open(self, screen: str, locale: str):
        page = self.browser.new_page(viewport=SCREENS[screen], locale=locale)
        self.addCleanup(page.close)
        page.goto(self.live_server_url + "/login/")
        page.fill("#id_username", "marie@dupont.fr")
        page.fill("#id_password", "un-mot-de-passe-solide")
        page.click("button[type=submit]")
        page.wait_for_selector("canvas[data-chart]")
        return page

    def assert_charts_drawn(self, page):
        page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 6")
        page.wait_for_timeout(500)  # the end of a short animation
        for name in CHARTS:
            canvas = page.locator(f'canvas[data-chart="chart-{name}"]')
            self.assertGreater(canvas.evaluate(DRAWN), 200, f"chart {name} is empty")

    def assert_fits_the_screen(self, page):
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0, "the page scrolls sideways")

    def test_it_draws_the_charts_on_a_laptop_and_a_phone_in_french_and_english(self):
        errors = []
        for screen in SCREENS:
            page = self.open(screen, "fr-FR")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            self.assertIn("Mentions dans le temps", page.inner_text("main"))
            self.assert_charts_drawn(page)
            self.assert_fits_the_screen(page)
            page.screenshot(path=str(SHOTS / f"dashboard-{screen}-fr.png"), full_page=True)

            open_menu(page)
            page.click("button[name=language][value=en]")
            page.wait_for_selector("text=Mentions over time, by sentiment")
            self.assert_charts_drawn(page)
            self.assert_fits_the_screen(page)
            # Each chart can be read as a table.
            page.locator("figure.chart summary").first.click()
            self.assertIn(
                "Net sentiment (%)", page.locator("figure.chart table").first.inner_text()
            )
            page.screenshot(path=str(SHOTS / f"dashboard-{screen}-en.png"), full_page=True)
            open_menu(page)
            page.click("button[name=language][value=fr]")
        self.assertEqual(errors, [])

    def test_it_shows_a_skip_link_and_a_visible_focus(self):
        page = self.open("laptop", "en-GB")
        page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        self.assertEqual(page.evaluate("document.activeElement.className"), "skip")
        self.assertGreater(skip.bounding_box()["x"], 0)  # on screen once focused
        outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
        self.assertEqual(outline, "solid")
