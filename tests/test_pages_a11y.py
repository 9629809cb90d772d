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
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitoring.models import Item, Source
from reputation.accounts.models import Invitation, PendingSignup
from reputation.alerts import unsubscribe
from reputation.alerts.models import Webhook, WebhookKind
from reputation.alerts.preferences import preference_for
from reputation.diagnostic.models import Diagnostic
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.privacy.models import PrivacyRequest
from reputation.sources.models import Follow
from tests.base import make_user
from tests.browser import BrowserTestCase
from tests.browser import marks as browser_marks

pytestmark = browser_marks

SHOTS = Path(__file__).resolve().parents[1] / "var" / "test" / "screenshots"
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
AXE = Axe()  # the axe-core script the package ships
# The pages people look at most, photographed at both sizes.
SHOOT = {"dashboard", "portfolio", "inbox", "inbox-all", "mention", "mention-draft", "sources"}
SHOOT |= {"source", "report", "diagnostic-result", "403"}
# Pages whose answer is not 200 on purpose (an invalid or expired link says so).
STATUS = {"diagnostic-expired": 404, "signup-confirm-invalid": 404, "invitation-invalid": 404}
STATUS["unsubscribe-invalid"] = 400
# Pages shown only as the answer to a form: reached by sending it from the page.
SUBMIT = {
    "api-key-created": "form:has(input[name=name]) button[type=submit]",
    "webhook-secret": "form[action$='/secret/'] button[type=submit]",
}
# What shows that a page is the one meant (and, for Redoc, that it has drawn the API).
READY = {
    "api-key-created": "#new-key",
    "webhook-secret": "code.secret",
    "api-docs": "redoc h1",
    "mention-draft": "#reply-draft",
    "suggested": ".suggestion",
    "diagnostic-result": "#diagnostic-score",
    "privacy": "text=Auteur 3",
}
# A diagnostic's result, small but with every part its page shows.
DIAGNOSTIC = {
    "score": 62,
    "factors": [
        {"key": "volume", "value": 12, "points": 15, "max": 20},
        {"key": "tone", "value": 40, "points": 12, "max": 20},
        {"key": "ratings", "value": 4.2, "points": 14, "max": 20},
        {"key": "answers", "value": 30, "points": 3, "max": 10},
    ],
    "mentions": [
        {
            "title": "Une boulangerie qui régale le quartier",
            "url": "https://site0.example/1",
            "site": "site0.example",
            "published": "2026-11-20T08:00:00+00:00",
            "tone": "positive",
        },
        {"title": "Attente trop longue", "url": "", "site": "site1.example", "tone": "negative"},
    ],
    "tone": {"positive": 5, "neutral": 4, "negative": 3},
    "sites": [{"site": "site0.example", "count": 7}],
    "reviews": {"read": True, "count": 8},
    "feeds": ["https://site0.example/feed"],
    "errors": [{"site": "site2.example", "error": "no answer"}],
    "advice": ["answer_negative", "add_feed"],
}


def violations(page) -> list[dict]:
    """What axe-core (put in each page by the context's init script) finds on `page`:
    Axe.run's own call and options, without sending its 570 kB script again."""
    return page.evaluate("axe.run({resultTypes: ['violations']})")["violations"]


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
        # A negative mention of the owner's own name calls for an answer: its page
        # shows the reply draft.
        self.negative = Mention.objects.filter(
            tracked_name=self.tracked, sentiment="negative"
        ).first()
        Webhook.objects.create(
            organisation=self.org, url="https://hooks.example/in", kind=WebhookKind.JSON
        )
        PrivacyRequest.objects.create(
            organisation=self.org, kind="erase", name="Auteur 3", email="auteur3@example.fr"
        )
        self.diagnostic = Diagnostic.objects.create(
            name="Boulangerie Dupont",
            town="Lyon",
            state=Diagnostic.DONE,
            progress=100,
            result=DIAGNOSTIC,
            finished=now,
        )
        self.running = Diagnostic.objects.create(
            name="Boulangerie Dupont", town="Lyon", state=Diagnostic.RUNNING, progress=40
        )
        self.expired = Diagnostic.objects.create(
            name="Boulangerie Dupont", town="Lyon", expires=now - timedelta(hours=1)
        )
        signup = PendingSignup(email="paul@durand.fr", organisation="Garage Durand", password="!")
        self.signup_token = signup.new_token()
        signup.save()
        invitation = Invitation(organisation=self.org, email="ines@dupont.fr", role="member")
        self.invitation_token = invitation.new_token()
        invitation.save()
        owner_membership = Membership.objects.get(user=self.owner, organisation=self.org)
        self.unsubscribe = unsubscribe.make_token(preference_for(owner_membership), "digest")
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
            "inbox-all": reverse("inbox-all"),
            "api-keys": reverse("api-keys", args=org),
            "api-key-created": reverse("api-keys", args=org),
            "api-docs": reverse("api-docs"),
            "password": reverse("password_change"),
            "password-done": reverse("password_change_done"),
            "brand": reverse("brand-settings"),
            "404": "/org/00000000-0000-0000-0000-000000000000/",
        }
        if role == "owner":
            pages |= {
                "name-add": reverse("tracked-add", args=org),
                "name-edit": reverse("tracked-edit", args=[self.org.code, self.tracked.code]),
                "name-delete": reverse("tracked-delete", args=[self.org.code, self.tracked.code]),
                "source-add": reverse("add-source", args=org),
                "add-feed": reverse("add-feed", args=org),
                "add-website": reverse("add-website", args=org),
                "add-search": reverse("add-search", args=org),
                "add-html": reverse("add-html", args=org),
                "add-forum": reverse("add-forum", args=org),
                "add-platform": reverse("add-platform", args=org),
                "connect-key": reverse("connect-key", args=[self.org.code, "trustpilot"]),
                "suggested": reverse("suggested-sources", args=[self.org.code, self.tracked.code]),
                "mention-draft": reverse(
                    "mention-detail", args=[self.org.code, self.negative.code]
                ),
                "reply-templates": reverse("reply-templates", args=org),
                "webhook-secret": reverse("alerts", args=org),
                "settings": reverse("org-settings", args=org),
                "org-add": reverse("org-add"),
                "privacy": reverse("privacy", args=org),
                "register": reverse("privacy-register", args=org),
                "privacy-delete": reverse("privacy-delete", args=org),
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
            "diagnostic-result": reverse("diagnostic-result", args=[self.diagnostic.code]),
            "diagnostic-running": reverse("diagnostic-result", args=[self.running.code]),
            "diagnostic-expired": reverse("diagnostic-result", args=[self.expired.code]),
            "signup-confirm": reverse("signup-confirm", args=[self.signup_token]),
            "signup-confirm-invalid": reverse("signup-confirm", args=["nothing"]),
            "invitation": reverse("invitation-accept", args=[self.invitation_token]),
            "invitation-invalid": reverse("invitation-accept", args=["nothing"]),
            "privacy-public": reverse("privacy-public"),
            "privacy-sent": reverse("privacy-sent"),
            "unsubscribe": reverse("alerts-unsubscribe", args=[self.unsubscribe]),
            "unsubscribe-invalid": reverse("alerts-unsubscribe", args=["nothing"]),
            "password-reset-sent": reverse("password_reset_done"),
            "password-reset-link": reverse("password_reset_confirm", args=["MQ", "set-password"]),
            "password-reset-complete": reverse("password_reset_complete"),
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
        problems = []
        for screen, viewport in SCREENS.items():
            for locale in ("fr-FR", "en-GB"):
                context = self.browser.new_context(viewport=viewport, locale=locale)
                # axe-core's script given once to the context, which runs it in each page
                # it opens, rather than sent along with each of some 300 checks.
                context.add_init_script(script=AXE.axe_script)
                if user:
                    context.add_cookies(self.session_cookie(user))
                page = context.new_page()
                for name, url in pages.items():
                    response = page.goto(self.live_server_url + url)
                    page.wait_for_load_state("load")
                    where = f"{who} {name} {screen} {locale}"
                    if name in SUBMIT:
                        response = self.submit(page, SUBMIT[name])
                    if name in READY and not self.shows(page, READY[name]):
                        problems.append(f"{where}: {READY[name]} is not shown")
                    expected = int(name[-3:]) if name[-3:] in ("403", "404") else 200
                    expected = STATUS.get(name, expected)
                    if response.status != expected:
                        problems.append(f"{where}: answered {response.status}")
                    for v in violations(page):
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
                    problems += self.check_menu(page, f"{who} menu {locale}")
                context.close()
        return problems

    def shows(self, page, selector: str) -> bool:
        try:
            page.wait_for_selector(selector, timeout=10_000)
        except PlaywrightTimeout:
            return False
        return True

    def submit(self, page, button: str):
        """Fill what the form asks (a name, the first choice) and send it: the answer."""
        form = page.locator(button).locator("xpath=ancestor::form")
        for field in form.locator("input[type=text]").all():
            field.fill("Tableur de la comptable")
        for box in form.locator("input[type=checkbox]").all()[:1]:
            box.check()
        with page.expect_navigation() as answer:
            page.click(button)
        page.wait_for_load_state("load")
        return answer.value

    def check_menu(self, page, where: str) -> list[str]:
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
        for v in violations(page):
            if v["impact"] in SERIOUS:
                problems.append(f"{where}: {v['id']} ({v['impact']})")
        page.screenshot(path=str(SHOTS / f"a11y-menu-open-{where.split()[-1][:2]}.png"))
        return problems

    def test_it_finds_no_serious_violation_nor_sideways_scroll_on_any_page(self):
        problems = self.check(self.owner, self.pages("owner"), "owner")
        problems += self.check(self.viewer, self.pages("viewer"), "viewer")
        problems += self.check(None, self.public_pages(), "visitor")
        self.assertEqual(problems, [], "\n".join(problems))
