"""The dashboard: figures of the organisation's own names from the rollups,
competitors only in the share of voice, a chosen period against the one before,
each chart also as a table, in a fixed number of queries; members only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import Item, Source
from reputation.dashboard import stats
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.templatetags.durations import duration_short
from tests.base import BaseTestCase


class DashboardTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://avis.example/", title="Avis du coin")
        self.n = 0

    def tracked(self, org, label="Dupont", kind=TrackedKind.BRAND):
        return TrackedName.objects.get_or_create(
            organisation=org, label=label, defaults={"kind": kind}
        )[0]

    def mention(self, org, sentiment="negative", aspects=(), delay_min=30, alertable=True, **kw):
        """A mention saved as the poll saves them (rollups included)."""
        self.n += 1
        tracked = kw.pop("tracked", None) or self.tracked(org)
        published = timezone.now() - kw.pop("age", timedelta(hours=2))
        item = Item.objects.create(
            source=self.source,
            guid_hash=str(self.n),
            title=f"Avis {self.n} sur Dupont",
            author=kw.get("author", ""),
            published=published,
            collected=published + timedelta(minutes=delay_min),
        )
        mention = Mention(
            organisation=org,
            tracked_name=tracked,
            item=item,
            source=self.source,
            url=item.url,
            published=published,
            created=published + timedelta(minutes=delay_min),
            sentiment=sentiment,
            aspects=list(aspects),
            alertable=alertable,
            title=item.title,
            author=item.author,
        )
        save_mentions(PendingMentions([mention]))
        return mention

    def url(self, org=None):
        return reverse("dashboard", args=[(org or self.org).code])

    def test_it_shows_the_dashboard_to_members_and_viewers(self):
        for user in (self.alice, self.bob, self.viewer):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 200)

    def test_it_hides_the_dashboard_from_outsiders(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_redirects_anonymous_users_to_login(self):
        response = self.client.get(self.url())
        self.assertRedirects(response, reverse("login") + "?next=" + self.url())

    def test_it_counts_own_names_and_shows_competitors_in_the_share_of_voice(self):
        rival = self.tracked(self.org, "Martin", TrackedKind.COMPETITOR)
        for _ in range(3):
            self.mention(self.org, "negative", ["price"], author="Jean Critique")
        self.mention(self.org, "positive", ["quality"])
        for _ in range(4):
            self.mention(self.org, "positive", tracked=rival)
        self.mention(self.other_org, "negative", ["hygiene"])  # not ours
        self.login(self.bob)
        page = self.client.get(self.url())
        f = page.context["f"]
        self.assertEqual((f["current"]["total"], f["current"]["negative"]), (4, 3))
        self.assertEqual(
            [(s["label"], s["pct"]) for s in f["share"]], [("Alice & Co", 50), ("Martin", 50)]
        )
        self.assertContains(page, "Share of voice against competitors")
        self.assertContains(page, "Price")
        self.assertContains(page, "Jean Critique")
        self.assertContains(page, "Avis du coin")
        self.assertNotContains(page, "Hygiene")
        self.assertContains(page, '<script id="chart-tones" type="application/json">', html=False)
        self.assertContains(page, "vendor/chartjs/chart.umd.min.js")
        self.assertNotContains(page, "<script>")  # no inline script (CSP)

    def test_it_compares_the_chosen_period_with_the_one_before(self):
        self.mention(self.org, age=timedelta(days=1))
        self.mention(self.org, age=timedelta(days=9))  # in the 7 days before
        self.mention(self.org, age=timedelta(days=10))
        self.login(self.alice)
        page = self.client.get(self.url() + "?days=7")
        self.assertEqual(page.context["period"].days, 7)
        self.assertEqual(page.context["f"]["current"]["total"], 1)
        self.assertEqual(page.context["f"]["previous"]["total"], 2)
        # 1 after 2: too small a base for a percentage (figures.SMALL_BASE).
        self.assertContains(page, "−1 mention")
        self.assertContains(page, '<a href="?days=7" aria-current="true">', html=False)
        start = (timezone.localdate() - timedelta(days=20)).isoformat()
        end = timezone.localdate().isoformat()
        page = self.client.get(self.url(), {"start": start, "end": end})
        self.assertEqual(page.context["period"].days, 21)
        self.assertEqual(page.context["f"]["current"]["total"], 3)

    def test_it_explains_wrong_dates_and_shows_30_days(self):
        self.login(self.alice)
        page = self.client.get(self.url(), {"start": "2026-03-10", "end": "2026-03-01"})
        self.assertContains(page, "The end date is before the start date.")
        self.assertEqual(page.context["period"].days, 30)
        page = self.client.get(self.url(), {"start": "2020-01-01", "end": "2026-01-01"})
        self.assertContains(page, "Choose at most 366 days.")

    def test_it_measures_the_delay_from_publication_to_detection(self):
        for minutes in (10, 20, 600):
            self.mention(self.org, delay_min=minutes)
        self.mention(self.org, delay_min=5000, alertable=False)  # history: not counted
        self.mention(self.other_org, delay_min=1)
        self.assertEqual(stats.detection_delay(self.org), timedelta(minutes=20))
        self.assertIsNone(stats.detection_delay(self.org.__class__(pk=-1)))
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "20 min")

    def test_it_formats_delays_as_people_say_them(self):
        with translation.override("en"):
            self.assertEqual(duration_short(timedelta(seconds=20)), "1 min")
            self.assertEqual(duration_short(timedelta(minutes=125)), "2 h 05")
            self.assertEqual(duration_short(timedelta(days=3, hours=2)), "3 d")
        with translation.override("fr"):
            self.assertEqual(duration_short(timedelta(days=3, hours=2)), "3 j")

    def test_it_uses_a_fixed_number_of_queries(self):
        self.login(self.alice)
        self.mention(self.org, aspects=["price"])
        self.client.get(self.url())  # warm caches (session, content types)
        # 13: the response figures (replies/figures.py) were computed by the first
        # request and are kept (KEEP_SECONDS) until a mention of the organisation is
        # triaged; computing them adds the reply settings and the candidate mentions.
        with self.assertNumQueries(13):
            self.client.get(self.url())
        rival = self.tracked(self.org, "Martin", TrackedKind.COMPETITOR)
        other = Source.objects.create(url="https://forum.example/")
        for i in range(5):
            self.mention(self.org, aspects=["staff"], author=f"Auteur {i}", age=timedelta(days=i))
            self.mention(self.org, "positive", tracked=rival)
        Mention.objects.update(source=other)
        # Another period: its response figures are computed (2 more queries), however
        # many mentions there are.
        with self.assertNumQueries(15):
            self.client.get(self.url() + "?days=90")

    def test_it_marks_the_current_page_and_offers_a_skip_link(self):
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertContains(page, '<a class="skip" href="#main">Skip to content</a>', html=True)
        self.assertContains(page, 'aria-current="page">Dashboard</a>', html=False)

    def test_it_never_renders_a_script_link(self):
        # Stored before links were checked, or by another path: checked again here.
        for n, url in enumerate(("javascript:alert(1)", "data:text/html,x", "https://ok.example/")):
            mention = self.mention(self.org)
            Mention.objects.filter(code=mention.code).update(url=url, title=f"Link {n}")
        self.login(self.alice)
        body = self.client.get(self.url()).content.decode()
        self.assertNotIn("javascript:", body)
        self.assertNotIn("data:text", body)
        self.assertIn('href="https://ok.example/"', body)
