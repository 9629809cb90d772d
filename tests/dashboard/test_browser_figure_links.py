"""In a real browser, on a laptop and a phone, in French and English: a click on a
chart bar or a tile of the dashboard lands on the inbox filtered to the mentions it
counts, and the inbox says the same number."""

from datetime import timedelta

from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow
from tests.base import make_user
from tests.browser import BrowserTestCase, open_menu
from tests.browser import marks as browser_marks

SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = browser_marks

# The middle of the tallest negative bar of the tones chart, in page pixels, and the
# count it shows (Chart.js knows where it drew each bar).
TALLEST_BAR = """(canvas) => {
  const chart = Chart.getChart(canvas);
  const i = chart.data.datasets.findIndex((d) => d.label === chart.data.datasets[2].label);
  const data = chart.data.datasets[i].data;
  const j = data.indexOf(Math.max(...data));
  const bar = chart.getDatasetMeta(i).data[j];
  const box = canvas.getBoundingClientRect();
  return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2, n: data[j]};
}"""


class FigureLinksBrowserTestCase(BrowserTestCase):
    def setUp(self):
        self.user = make_user("marie@dupont.fr", "un-mot-de-passe-solide")
        self.org = Organisation.objects.create(
            slug="dupont", name="Boulangerie Dupont", time_zone="America/Guadeloupe"
        )
        Membership.objects.create(user=self.user, organisation=self.org, role=Role.OWNER)
        own = TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        source = Source.objects.create(url="https://avis.example/feed", title="Avis")
        Follow.objects.create(organisation=self.org, source=source)
        now, mentions = timezone.now(), []
        tones = ["negative", "positive", "negative", "neutral", "negative"]
        for i in range(40):
            published = now - timedelta(hours=9 * i)
            item = Item.objects.create(source=source, guid_hash=str(i), published=published)
            mentions.append(
                Mention(
                    organisation=self.org,
                    tracked_name=own,
                    item=item,
                    source=source,
                    url=f"https://avis.example/{i}",
                    published=published,
                    title=f"Avis {i}",
                    snippet=f"Avis {i} sur la Boulangerie Dupont",
                    sentiment=tones[i % 5],
                    language="fr",
                )
            )
        save_mentions(PendingMentions(mentions))

    def open(self, screen: str):
        page = self.browser.new_page(viewport=SCREENS[screen], locale="fr-FR")
        self.addCleanup(page.close)
        page.goto(self.live_server_url + "/login/")
        page.fill("#id_username", "marie@dupont.fr")
        page.fill("#id_password", "un-mot-de-passe-solide")
        page.click("button[type=submit]")
        page.wait_for_selector("canvas[data-chart]")
        return page

    def inbox_total(self, page) -> int:
        page.wait_for_selector("#inbox-count")
        self.assertIn("/mentions/?", page.url)
        return int(page.get_attribute("#inbox-count", "data-total"))

    def click_tallest_bar(self, page) -> int:
        page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 6")
        canvas = page.locator('canvas[data-chart="chart-tones"]')
        canvas.scroll_into_view_if_needed()
        page.wait_for_timeout(500)  # the end of a short animation
        bar = canvas.evaluate(TALLEST_BAR)
        self.assertGreater(bar["n"], 0)
        page.mouse.click(bar["x"], bar["y"])
        return bar["n"]

    def test_it_lands_on_the_inbox_with_the_count_of_a_bar_and_of_a_tile(self):
        errors = []
        for screen in SCREENS:
            page = self.open(screen)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            for language, words in (("fr", "mentions"), ("en", "mentions")):
                if language == "en":
                    open_menu(page)  # on a phone, the language is in the menu
                    page.click("button[name=language][value=en]")
                    page.wait_for_selector("text=Mentions over time, by sentiment")
                dashboard = page.url
                n = self.click_tallest_bar(page)
                self.assertEqual(self.inbox_total(page), n, f"{screen} {language} bar")
                self.assertIn(words, page.inner_text("#inbox-count"))
                page.goto(dashboard)
                tile = page.locator(".kpi.negative a.n")
                figure = int(tile.inner_text().replace("\u202f", "").replace(" ", ""))
                self.assertGreater(figure, 0)
                tile.click()
                self.assertEqual(self.inbox_total(page), figure, f"{screen} {language} tile")
                page.goto(dashboard)
            open_menu(page)
            page.click("button[name=language][value=fr]")
        self.assertEqual(errors, [])
