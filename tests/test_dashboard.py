"""The dashboard: totals, what people complain about, how fast mentions are found;
only the organisation's own data, in a fixed number of queries."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import Item, Source
from reputation.dashboard import stats
from reputation.models import Mention, TrackedName
from reputation.templatetags.durations import duration_short
from tests.base import BaseTestCase


class DashboardTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://avis.example/")
        self.n = 0

    def mention(self, org, sentiment="negative", aspects=(), delay_min=30, alertable=True):
        self.n += 1
        tracked, _ = TrackedName.objects.get_or_create(organisation=org, label="Dupont")
        published = timezone.now() - timedelta(hours=2)
        item = Item.objects.create(
            source=self.source,
            guid_hash=str(self.n),
            title=f"Avis {self.n} sur Dupont",
            published=published,
            collected=published + timedelta(minutes=delay_min),
        )
        return Mention.objects.create(
            organisation=org,
            tracked_name=tracked,
            item=item,
            published=published,
            sentiment=sentiment,
            aspects=list(aspects),
            alertable=alertable,
        )

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

    def test_it_says_what_people_complain_about(self):
        self.mention(self.org, "negative", ["price", "staff"])
        self.mention(self.org, "negative", ["price"])
        self.mention(self.org, "positive", ["quality"])
        self.mention(self.org, "neutral", ["hygiene"])  # no tone: not counted
        self.mention(self.other_org, "negative", ["hygiene"] * 1)  # not ours
        summary = stats.aspects_summary(self.org)
        self.assertEqual(
            [(r["key"], r["negative"], r["positive"]) for r in summary],
            [("price", 2, 0), ("staff", 1, 0), ("quality", 0, 1)],
        )
        self.login(self.bob)
        page = self.client.get(self.url())
        self.assertContains(page, "What people talk about")
        self.assertContains(page, "Price")
        self.assertNotContains(page, "Hygiene")

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
        with self.assertNumQueries(7):
            self.client.get(self.url())
        for _ in range(5):
            self.mention(self.org, aspects=["staff"])
        with self.assertNumQueries(7):
            self.client.get(self.url())

    def test_it_never_renders_a_script_link(self):
        # Stored before links were checked, or by another path: checked again here.
        for n, url in enumerate(("javascript:alert(1)", "data:text/html,x", "https://ok.example/")):
            mention = self.mention(self.org)
            Item.objects.filter(pk=mention.item_id).update(url=url, title=f"Link {n}")
        self.login(self.alice)
        body = self.client.get(self.url()).content.decode()
        self.assertNotIn("javascript:", body)
        self.assertNotIn("data:text", body)
        self.assertIn('href="https://ok.example/"', body)
