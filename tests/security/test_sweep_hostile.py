"""Issue 22: hostile content is inert everywhere it is shown. Script, handlers,
`javascript:` and `data:` links, Slack mark-up and spreadsheet formulas are stored in
every field a person or a fetched page can write (mention title, text, author and
address; tracked names; source names; notes, tags, reply templates; the
organisation's name; a consultant's brand), then every page of the resolver (the
tenant sweep's table: no page is forgotten), every email, webhook text, export,
report and API answer is read back: no element, handler or link came from them."""

import csv
import io
import json
import re
import unicodedata
import zipfile
from datetime import timedelta
from urllib.parse import unquote

from bs4 import BeautifulSoup
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.accounts.models import Brand
from reputation.alerts import transports
from reputation.alerts.models import Notification, NotificationKind, Webhook, WebhookKind
from reputation.alerts.preferences import preference_for
from reputation.inbox.models import Note, Tag
from reputation.mentions.export import starts_like_formula
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.replies.models import ReplyTemplate
from reputation.reports import monthly
from reputation.sources.models import Follow
from tests.security import world
from tests.security.routes import routes
from tests.security.test_sweep_tenants import MINE, ORG, ROUTES

HOSTILE = (
    "<script>alert(1)</script>"
    ' "><img src=x onerror=alert(1)>'
    " <a href='javascript:alert(1)'>x</a>"
    ' <iframe src="data:text/html,<script>alert(1)</script>"></iframe>'
    " <!channel> <http://evil.example|click> @here"
)
# Cells a spreadsheet would run: each starts a field of its own.
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "＝1+1"]
# Addresses that must never become a link (stored before the checks were written, or
# by a path that forgot them: the check where they are shown is the last one).
BAD_LINKS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "java\nscript:x"]
LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset")


def fit(model, name: str, text: str) -> str:
    """As much of `text` as the field holds (PostgreSQL refuses more)."""
    return text[: model._meta.get_field(name).max_length]


def bad_scheme(value: str) -> bool:
    # What a browser ignores before the scheme: whitespace and control characters.
    cleaned = "".join(c for c in value if not unicodedata.category(c).startswith(("C", "Z")))
    return cleaned.lower().startswith(("javascript:", "vbscript:", "data:"))


class HostileSweepTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = world.tenant("alpha", "ALPHA")
        org = cls.a.org
        org.name = fit(org, "name", "ALPHA " + HOSTILE)
        org.save()
        TrackedName.objects.filter(organisation=org).update(
            label=fit(TrackedName, "label", FORMULAS[0] + HOSTILE)
        )
        Follow.objects.filter(organisation=org).update(
            name=fit(Follow, "name", FORMULAS[1] + HOSTILE)
        )
        Source.objects.filter(follows__organisation=org).update(
            title=fit(Source, "title", FORMULAS[2] + HOSTILE)
        )
        Item.objects.filter(source__follows__organisation=org).update(
            title=HOSTILE, text=HOSTILE, author=fit(Item, "author", HOSTILE)
        )
        mentions = Mention.objects.filter(organisation=org)
        mentions.update(title=FORMULAS[3] + HOSTILE, snippet=HOSTILE, author=FORMULAS[0])
        source = Source.objects.get(code=cls.a.params["source_code"])
        tracked = TrackedName.objects.get(organisation=org)
        for n, link in enumerate(BAD_LINKS):
            item = Item.objects.create(
                source=source,
                guid_hash=f"bad-{n}",
                url=link,
                title=HOSTILE,
                published=timezone.now(),
                language="fr",
            )
            Mention.objects.create(
                organisation=org,
                tracked_name=tracked,
                item=item,
                source=source,
                url=link,
                reply_url=link,
                published=item.published,
                title=HOSTILE,
                author=FORMULAS[1],
                snippet=HOSTILE,
                sentiment="negative",
                language="fr",
            )
        Note.objects.filter(mention__organisation=org).update(text=HOSTILE)
        Tag.objects.filter(organisation=org).update(name=fit(Tag, "name", HOSTILE))
        ReplyTemplate.objects.filter(organisation=org).update(body=HOSTILE)
        Brand.objects.filter(user=cls.a.owner).update(
            display_name=fit(Brand, "display_name", HOSTILE)
        )

    def setUp(self):
        self.client.force_login(self.a.owner)

    def assert_inert(self, html: str, where: str, data_images: bool = False):
        soup = BeautifulSoup(html, "lxml")
        for script in soup.find_all("script"):
            if script.get("type") == "application/json":
                # Data for a chart (json_script): never run, and no "<" ends it early.
                self.assertNotIn("<", script.get_text(), where)
                continue
            self.assertTrue(script.get("src", "").startswith("/static/"), (where, str(script)))
            self.assertEqual(script.get_text(strip=True), "", where)
        for tag in soup.find_all(True):
            self.assertNotIn(tag.name, ("iframe", "object", "embed", "base"), where)
            if tag.name == "img" and tag.get("src") == "x":
                self.fail(f"{where}: an element from the content: {tag}")
            for name, value in tag.attrs.items():
                self.assertFalse(name.lower().startswith("on"), (where, str(tag)[:200]))
                if name.lower() not in LINK_ATTRIBUTES:
                    continue
                value = " ".join(value) if isinstance(value, list) else value
                image = data_images and tag.name == "img" and value.startswith("data:image/")
                if bad_scheme(value) and not image:
                    self.fail(f"{where}: a link from the content: {str(tag)[:200]}")

    def assert_no_formula(self, cells, where: str):
        for cell in cells:
            self.assertFalse(starts_like_formula(cell), (where, cell))

    def test_it_keeps_hostile_content_inert_in_every_page(self):
        shown = 0
        mention = Mention.objects.filter(organisation=self.a.org, url=BAD_LINKS[0]).get()
        for route in routes():
            rule, _ = ROUTES.get(route.route, (None, {}))
            if rule not in (ORG, MINE):
                continue
            params = {**self.a.params, "mention_code": mention.code}
            url = route.url(params)
            with self.subTest(route=route.route):
                r = self.client.get(url)
                if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
                    continue
                self.assert_inert(r.content.decode(), url, data_images=route.name == "report")
                shown += 1
        self.assertGreater(shown, 30)

    def test_it_keeps_hostile_content_inert_in_every_email(self):
        owning = Membership.objects.get(user=self.a.owner, organisation=self.a.org)
        pref = preference_for(owning)
        now = timezone.now()
        mentions = list(Mention.objects.filter(organisation=self.a.org))
        month = monthly.previous_month(now.replace(day=1, hour=0, minute=0, second=0))
        periods = {
            NotificationKind.INSTANT: (None, {}),
            NotificationKind.DIGEST: (now - timedelta(days=1), {"end": now.isoformat()}),
            NotificationKind.REPORT: (month, {}),
        }
        for kind, (start, data) in periods.items():
            notification = Notification.objects.create(
                organisation=self.a.org, preference=pref, kind=kind, period_start=start, data=data
            )
            notification.mentions.set(mentions)
            with self.subTest(kind=kind):
                message = transports.Email().prepare(notification, now)
                self.assertNotIn("\n", message.subject)
                html = [c for c, t in getattr(message, "alternatives", []) if t == "text/html"]
                self.assertTrue(html, kind)
                self.assert_inert(html[0], f"email {kind}", data_images=True)
        # The PDF is made of this HTML (monthly.render_pdf).
        report = monthly.figures(self.a.org, now - timedelta(days=30), now)
        self.assert_inert(monthly.render_html(report, "fr"), "report", data_images=True)

    def test_it_escapes_hostile_content_in_every_webhook(self):
        now = timezone.now()
        mentions = list(Mention.objects.filter(organisation=self.a.org))
        for kind in (WebhookKind.SLACK, WebhookKind.MATTERMOST, WebhookKind.JSON):
            hook = Webhook.objects.create(
                organisation=self.a.org, url="https://hooks.example/in", kind=kind
            )
            notification = Notification.objects.create(
                organisation=self.a.org, webhook=hook, kind=NotificationKind.INSTANT
            )
            notification.mentions.set(mentions)
            with self.subTest(kind=kind):
                out = transports.for_notification(notification).prepare(notification, now)
                document = json.loads(out.body)
                text = document.get("text", "")
                for markup in ("<!channel>", "<http://evil.example|click>", "<script", "<img"):
                    self.assertNotIn(markup, text, kind)
                # Every link target (Slack's <target|label>, Markdown's [label](target)).
                targets = re.findall(r"<([^|>]*)\|", text) + re.findall(r"\]\(([^)]*)\)", text)
                for target in targets:
                    self.assertFalse(bad_scheme(unquote(target)), (kind, target))
                    self.assertTrue(target.startswith(("https://", "http://")), (kind, target))
                if kind == WebhookKind.MATTERMOST:
                    self.assertNotIn("@here", text)
                if kind == WebhookKind.JSON:
                    # Data for programs: links in it are web addresses or nothing.
                    self.assert_links_safe(document, f"webhook {kind}")

    def assert_links_safe(self, data, where):
        """No value of a `url` field of this JSON is a link a receiver should not follow."""
        if isinstance(data, dict):
            for key, value in data.items():
                if key.endswith("url") and isinstance(value, str):
                    self.assertFalse(bad_scheme(value), (where, key, value))
                self.assert_links_safe(value, where)
        elif isinstance(data, list):
            for value in data:
                self.assert_links_safe(value, where)

    def test_it_neutralises_formulas_in_every_export(self):
        r = self.client.get(reverse("export-csv", args=[self.a.org.code]))
        text = b"".join(r.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertGreater(len(rows), 3)
        self.assert_no_formula([c for row in rows for c in row], "export.csv")
        r = self.client.post(reverse("privacy-export", args=[self.a.org.code]))
        archive = zipfile.ZipFile(io.BytesIO(r.content))
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8-sig")
                cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
                self.assert_no_formula(cells, name)

    def test_it_answers_hostile_content_as_data_in_the_api(self):
        self.client.logout()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.a.tokens['owner']}"}
        for url in ("/api/v1/mentions/", "/api/v1/sources/", "/api/v1/names/"):
            with self.subTest(url=url):
                r = self.client.get(url, **auth)
                self.assertEqual(r.status_code, 200)
                self.assertTrue(r["Content-Type"].startswith("application/json"))
                self.assertEqual(r["X-Content-Type-Options"], "nosniff")
                self.assert_links_safe(r.json(), url)
