"""In a real browser (Debian's chromium), on a laptop and on a phone, in French and
in English: open a negative mention from the inbox, see its draft, copy it to the
clipboard, mark it answered with the answer's address, and see the response figures
of the dashboard move. Screenshots go to var/test/screenshots/."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from reputation.mentions.models import Mention
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import make_user
from tests.browser import BrowserTestCase
from tests.browser import marks as browser_marks
from tests.replies_data import said

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}

pytestmark = browser_marks


class RepliesBrowserTestCase(BrowserTestCase):
    def setUp(self):
        self.user = make_user("marie@dupont.fr", "un-mot-de-passe-solide")
        self.org = Organisation.objects.create(slug="dupont", name="Boulangerie Dupont")
        Membership.objects.create(user=self.user, organisation=self.org, role=Role.OWNER)
        published = timezone.now() - timedelta(days=2)
        for i, (lang, author) in enumerate([("fr", "Marie L."), ("en", "John D.")] * 2):
            said(
                self.org,
                title=f"Avis {i} sur Boulangerie Dupont",
                author=author,
                aspects=["reception"],
                language=lang,
                rating=0.0,
                score=-0.9,
                url=f"https://avis.example.org/{i}",
                published=published - timedelta(minutes=i),
            )
        SHOTS.mkdir(parents=True, exist_ok=True)

    def open(self, screen: str, language: str):
        context = self.browser.new_context(
            viewport=SCREENS[screen],
            locale=LOCALES[language],
            permissions=["clipboard-read", "clipboard-write"],
        )
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(self.live_server_url + "/login/")
        page.fill("#id_username", "marie@dupont.fr")
        page.fill("#id_password", "un-mot-de-passe-solide")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if page.locator("html").get_attribute("lang") != language:
            page.click(f"button[name=language][value={language}]")
            page.wait_for_load_state()
        self.assertEqual(page.locator("html").get_attribute("lang"), language)
        return page

    def figures(self, page) -> tuple[str, str]:
        page.goto(f"{self.live_server_url}/org/{self.org.code}/")
        return (
            page.locator(".kpi.replies .n").inner_text(),
            page.locator(".kpi.replies-overdue .n").inner_text(),
        )

    def assert_fits(self, page, name):
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0, f"{name} scrolls sideways")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def test_it_drafts_copies_and_marks_answered_on_laptop_and_phone(self):
        errors, done = [], 0
        for screen in SCREENS:
            for language in LOCALES:
                page = self.open(screen, language)
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                before = self.figures(page)
                self.assertEqual(before[1], str(4 - done))

                page.goto(f"{self.live_server_url}/org/{self.org.code}/mentions/")
                row = page.locator("li.mention:has(.reply-overdue)").first
                row.locator("a.title").click()
                page.wait_for_selector("#reply-draft")
                draft = page.locator("#reply-draft").input_value()
                self.assertRegex(draft, r"^(Bonjour Marie L\.|Hello John D\.),")
                self.assertIn("Boulangerie Dupont", draft)  # signed with its name
                original = page.locator("#reply a[target=_blank]")
                self.assertRegex(original.get_attribute("href"), r"^https://avis\.example\.org/")
                # The person adapts the draft; what is copied is what they typed.
                page.locator("#reply-draft").fill(draft + "\nÀ bientôt")
                page.click("button[data-copy]")
                page.wait_for_selector(".copy-status:not(:empty)")
                copied = page.evaluate("navigator.clipboard.readText()")
                self.assertEqual(copied, draft + "\nÀ bientôt")
                self.assert_fits(page, f"replies-draft-{screen}-{language}")

                page.fill("#id_answer_url", f"https://avis.example.org/reply-{screen}-{language}")
                page.click("form.mark-answered button[type=submit]")
                page.wait_for_selector("#reply p.answered")
                done += 1
                after = self.figures(page)
                self.assertEqual(after[1], str(4 - done))
                self.assertNotEqual(after[0], before[0])
                self.assertEqual(after[0].replace("\xa0", " ").split()[0], str(25 * done))
                self.assert_fits(page, f"replies-dashboard-{screen}-{language}")
        self.assertEqual(errors, [])
        answered = Mention.objects.filter(status="answered")
        self.assertEqual(answered.count(), 4)
        self.assertEqual(set(answered.values_list("answered_by", flat=True)), {self.user.pk})
        self.assertEqual(answered.exclude(reply_url="").count(), 4)
