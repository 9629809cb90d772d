"""In a real browser (Debian's chromium), on a laptop and on a phone: sign up, add a
name and a source, filter the inbox, triage and correct a mention, switch client and
language. Screenshots go to var/test/screenshots/."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone

from monitoring.models import Source
from reputation.inbox.models import MentionEvent
from reputation.mentions.models import Mention
from tests.browser import BrowserTestCase, open_menu
from tests.browser import marks as browser_marks
from tests.httpserver import LocalServer

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"
VIEWPORTS = {"laptop": {"width": 1366, "height": 860}, "phone": {"width": 390, "height": 844}}

pytestmark = browser_marks


def feed() -> bytes:
    now = timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    items = [
        ("1", "Avis sur la Boulangerie Dupont", "Boulangerie Dupont : accueil désagréable, "
         "pain rassis et vendeuse impolie. Très déçu, je n'y retournerai pas."),
        ("2", "Nos adresses à Villeurbanne", "La Boulangerie Dupont fait un excellent pain, "
         "des croissants délicieux et l'accueil est charmant. Bravo !"),
    ]  # fmt: skip
    body = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/a/{g}</link><guid>{g}</guid>"
        f"<description>{d}</description><pubDate>{now}</pubDate></item>"
        for g, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Le Journal de Villeurbanne</title><link>http://127.0.0.1/</link>{body}"
        "</channel></rss>"
    ).encode()


class InboxBrowserTestCase(BrowserTestCase):
    def setUp(self):
        self.site = LocalServer()
        self.site.route("/feed.xml", feed(), headers={"Content-Type": "application/rss+xml"})
        self.site.start()
        self.addCleanup(self.site.stop)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, page, name, device):
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        self.assertLessEqual(overflow, 0, f"{name} scrolls sideways on the {device}")
        page.screenshot(path=str(SHOTS / f"{name}-{device}.png"), full_page=True)

    def run_journey(self, device):
        context = self.browser.new_context(viewport=VIEWPORTS[device], locale="fr-FR")
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15000)
        base = self.live_server_url
        email = f"marie-{device}@dupont.fr"

        # Sign up: the organisation and its owner.
        page.goto(base + "/signup/")
        self.shot(page, "signup", device)
        page.fill("#id_organisation", f"Boulangerie Dupont ({device})")
        page.fill("#id_name", "Marie")
        page.fill("#id_email", email)
        page.fill("#id_password", "un-mot-de-passe-solide")
        page.click("button[type=submit].primary")
        # The address is confirmed first: the link comes by email (Django's test outbox).
        page.wait_for_selector("text=Consultez vos e-mails")
        link = re.search(r"https?://\S+/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
        page.goto(base + urlsplit(link).path)
        self.shot(page, "signup-confirm", device)
        page.click("button[type=submit].primary")
        page.wait_for_selector("text=Bienvenue")

        # A name to watch.
        # A new owner lands on the form itself, the business's name offered.
        if not page.url.endswith("/names/add/"):
            page.click("a[href$='/names/add/']")
        page.fill("#id_label", "Boulangerie Dupont")
        page.click("button[value=save]")
        page.wait_for_selector(".tracked-card")

        # A source: the local feed's address.
        open_menu(page)
        page.click("nav >> text=Sources")
        page.click("a[href$='/sources/add/']")
        page.click("a[href$='/sources/add/feed/']")
        page.fill("#id_url", self.site.url("/feed.xml"))
        page.click("button[type=submit].primary")
        page.wait_for_selector(".source-card, .badges")
        self.shot(page, "source", device)

        # "Vérifier maintenant" shows progress, then the result without a reload; the
        # worker's job is done here, while the page waits.
        from monitoring.pipeline.poll import poll_now

        page.click("form.check-now button")
        page.wait_for_selector(".check-status.busy")
        self.assertIn("Vérification en cours", page.inner_text(".check-status"))
        poll_now(list(Source.objects.filter(url=self.site.url("/feed.xml"))))
        page.wait_for_selector(".check-status:not(.busy)")
        self.assertIn("Vérifiée\u202f: 2 nouvelles publications", page.inner_text(".check-status"))
        org_mentions = Mention.objects.filter(organisation__name__endswith=f"({device})")
        self.assertEqual(org_mentions.count(), 2)

        # The inbox, filtered on negative mentions.
        open_menu(page)
        page.click("nav >> text=Mentions")
        page.wait_for_selector(".mention")
        self.assertEqual(page.locator(".mention").count(), 2)
        page.click("details.filters summary")
        page.check("fieldset.checks >> text=Négatif")
        page.click("details.filters button[type=submit]")
        page.wait_for_url("**sentiment=negative**")
        self.assertEqual(page.locator(".mention").count(), 1)
        self.assertIn("rassis", page.inner_text(".mention"))
        self.shot(page, "inbox-filtered", device)

        # Triage in bulk: tick, choose "À traiter", apply; the page stays filtered.
        page.check(".mention input[name=mentions]")
        page.select_option("#id_action", "status:todo")
        page.click(".bulk-bar button")
        page.wait_for_selector(".messages")
        self.assertIn("sentiment=negative", page.url)
        self.assertIn("À traiter", page.inner_text(".mention"))

        # The detail: correct the tone, and the history says who did what.
        page.click(".mention a.title")
        page.wait_for_selector(".mention-detail")
        self.assertIn("nouvel onglet", page.inner_text(".mention-detail"))
        page.select_option("#id_sentiment", "neutral")
        page.click("form[action$='/sentiment/'] button")
        page.wait_for_selector(".events")
        self.assertIn("Négatif → Neutre", page.inner_text(".events"))
        self.shot(page, "mention", device)
        self.assertEqual(MentionEvent.objects.filter(mention__in=org_mentions).count(), 2)

        # Invite a colleague as a viewer: the invitation waits for an answer.
        open_menu(page)
        page.click("nav >> text=Membres")
        page.fill("#id_email", f"paul-{device}@dupont.fr")
        page.select_option("#id_role", "viewer")
        page.click("form[action$='/members/invite/'] button[type=submit]")
        page.wait_for_selector(f"text=Invitation envoyée à paul-{device}@dupont.fr")
        self.assertIn("Lecteur", page.inner_text("main"))
        self.shot(page, "members", device)

        # A second client, then back to the first with the switcher, same section.
        open_menu(page)
        page.click(".switcher a")
        page.fill("#id_name", f"Garage Martin ({device})")
        page.click("button[type=submit].primary")
        page.wait_for_selector("h1")
        open_menu(page)
        # The switcher goes on selection (its button is for browsers without JavaScript).
        page.select_option("#switch-to", label=f"Boulangerie Dupont ({device})")
        page.wait_for_selector(".tracked-card")
        self.assertIn(f"Boulangerie Dupont ({device})", page.inner_text(".switcher"))

        # English, then the inbox again.
        open_menu(page)
        page.click("button[name=language][value=en]")
        page.wait_for_selector("h1 >> text=Tracked names")
        open_menu(page)
        page.click("nav >> text=Mentions")
        page.wait_for_selector(".mention")
        self.assertIn("Most recent first", page.inner_text(".sorts"))
        self.shot(page, "inbox-en", device)

    def test_it_works_on_a_laptop(self):
        self.run_journey("laptop")

    def test_it_works_on_a_phone(self):
        self.run_journey("phone")
