"""Every page, as an owner, a viewer and a visitor, at laptop and phone sizes, in
French and English: axe-core finds no serious or critical violation, and no page
scrolls sideways. Screenshots go to var/test/screenshots/ for people to look at."""

from datetime import timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow
from tests.base import make_user
from tests.browser import BrowserTestCase
from tests.browser import marks as browser_marks

pytestmark = browser_marks

SHOTS = Path(__file__).resolve().parents[1] / "var" / "test" / "screenshots"
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
# The pages people look at most, photographed at both sizes.
SHOOT = {"dashboard", "portfolio", "inbox", "mention", "sources", "source", "report", "403"}


class PagesAccessibilityTestCase(BrowserTestCase):
    def setUp(self):
        self.owner = make_user("marie@dupont.fr")
        self.viewer = make_user("vera@dupont.fr")
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        other = Organisation.objects.create(slug="martin", name="Maison Martin et fils")
        for org in (self.org, other):  # two clients: the portfolio has rows
            Membership.objects.create(user=self.owner, organisation=org, role=Role.OWNER)
        Membership.objects.create(user=self.viewer, organisation=self.org, role=Role.VIEWER)
        self.tracked = TrackedName.objects.create(organisation=self.org, label="Boulangerie Dupont")
        rival = TrackedName.objects.create(
            organisation=self.org, label="Maison Martin", kind=TrackedKind.COMPETITOR
        )
        sources = [
            Source.objects.create(url=f"https://site{i}.example/feed", title=f"Site {i}")
            for i in range(3)
        ]
        # A long name must not push a chart's bars off a phone's screen.
        sources[0].title = "Le Journal de la Boulangerie et de la Pâtisserie de France"
        sources[0].save()
        for source in sources:
            Follow.objects.create(organisation=self.org, source=source)
        now, mentions = timezone.now(), []
        tones = ["positive", "neutral", "negative", "positive"]
        aspects = [["price"], ["reception"], [], ["quality", "staff"]]
        for i in range(40):
            published = now - timedelta(hours=17 * i)
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
                    tracked_name=rival if i % 5 == 0 else self.tracked,
                    item=item,
                    source=sources[i % 3],
                    url=item.url,
                    published=published,
                    snippet=f"{item.title} : accueil et prix commentés longuement.",
                    title=item.title,
                    author=item.author,
                    sentiment=tones[i % 4],
                    aspects=aspects[i % 4],
                    language="fr",
                )
            )
        save_mentions(PendingMentions(mentions))
        self.mention = Mention.objects.filter(tracked_name=self.tracked).first()
        self.source = sources[0]
        SHOTS.mkdir(parents=True, exist_ok=True)

    def pages(self, role: str) -> dict[str, str]:
        org = [self.org.code]
        pages = {
            "dashboard": reverse("dashboard", args=org),
            "portfolio": reverse("portfolio"),
            "inbox": reverse("inbox", args=org),
            "mention": reverse("mention-detail", args=[self.org.code, self.mention.code]),
            "names": reverse("tracked-names", args=org),
            "sources": reverse("sources", args=org),
            "source": reverse("source-detail", args=[self.org.code, self.source.code]),
            "alerts": reverse("alerts", args=org),
            "members": reverse("members", args=org),
            "report": reverse("report", args=org),
            "api-keys": reverse("api-keys", args=org),
            "password": reverse("password_change"),
            "404": "/org/00000000-0000-0000-0000-000000000000/",
        }
        if role == "owner":
            pages |= {
                "name-add": reverse("tracked-add", args=org),
                "name-edit": reverse("tracked-edit", args=[self.org.code, self.tracked.code]),
                "source-add": reverse("add-source", args=org),
                "add-feed": reverse("add-feed", args=org),
                "add-website": reverse("add-website", args=org),
                "add-search": reverse("add-search", args=org),
                "add-html": reverse("add-html", args=org),
                "add-forum": reverse("add-forum", args=org),
                "settings": reverse("org-settings", args=org),
                "org-add": reverse("org-add"),
                "privacy": reverse("privacy", args=org),
                "register": reverse("privacy-register", args=org),
            }
        else:
            pages["403"] = reverse("tracked-add", args=org)  # a viewer may not add
        return pages

    def public_pages(self) -> dict[str, str]:
        return {
            "login": reverse("login"),
            "signup": reverse("signup"),
            "password-reset": reverse("password_reset"),
            "diagnostic": reverse("diagnostic"),
            "privacy-public": reverse("privacy-public"),
            "about-bot": reverse("about-bot"),
            "public-404": "/nowhere/",
        }

    def session_cookie(self, user) -> list[dict]:
        client = Client()
        client.force_login(user)
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        host = self.live_server_url.split("//")[1].split(":")[0]
        return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": host, "path": "/"}]

    def check(self, user, pages: dict[str, str], who: str) -> list[str]:
        axe, problems = Axe(), []
        for screen, viewport in SCREENS.items():
            for locale in ("fr-FR", "en-GB"):
                context = self.browser.new_context(viewport=viewport, locale=locale)
                if user:
                    context.add_cookies(self.session_cookie(user))
                page = context.new_page()
                for name, url in pages.items():
                    response = page.goto(self.live_server_url + url)
                    page.wait_for_load_state("load")
                    where = f"{who} {name} {screen} {locale}"
                    expected = int(name[-3:]) if name[-3:] in ("403", "404") else 200
                    if response.status != expected:
                        problems.append(f"{where}: answered {response.status}")
                    for v in axe.run(page).response["violations"]:
                        if v["impact"] in SERIOUS:
                            targets = [n["target"] for n in v["nodes"]][:3]
                            problems.append(f"{where}: {v['id']} ({v['impact']}) {targets}")
                    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if wide > 0:
                        problems.append(f"{where}: scrolls sideways by {wide}px")
                    if name in SHOOT:
                        shot = SHOTS / f"a11y-{who}-{name}-{screen}-{locale[:2]}.png"
                        page.screenshot(path=str(shot), full_page=True)
                if user and screen == "phone":
                    problems += self.check_menu(page, axe, f"{who} menu {locale}")
                context.close()
        return problems

    def check_menu(self, page, axe, where: str) -> list[str]:
        """The phone's menu: folded first (the page's content starts under the bar),
        then the button unfolds the navigation, switcher included."""
        page.goto(self.live_server_url + reverse("dashboard", args=[self.org.code]))
        problems = []
        if page.locator("#menu").is_visible():
            problems.append(f"{where}: the menu is not folded on a phone")
        if page.locator("main h1").bounding_box()["y"] > 120:
            problems.append(f"{where}: the page's title is not at the top of the screen")
        page.click(".menu-toggle")
        if not page.locator("#switch-to").is_visible():
            problems.append(f"{where}: the button does not unfold the menu")
        for v in axe.run(page).response["violations"]:
            if v["impact"] in SERIOUS:
                problems.append(f"{where}: {v['id']} ({v['impact']})")
        page.screenshot(path=str(SHOTS / f"a11y-menu-open-{where.split()[-1][:2]}.png"))
        return problems

    def test_it_finds_no_serious_violation_nor_sideways_scroll_on_any_page(self):
        problems = self.check(self.owner, self.pages("owner"), "owner")
        problems += self.check(self.viewer, self.pages("viewer"), "viewer")
        problems += self.check(None, self.public_pages(), "visitor")
        self.assertEqual(problems, [], "\n".join(problems))
