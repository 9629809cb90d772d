"""The portfolio: one row per organisation of the user, from the rollups, sortable,
each leading to its dashboard; never another consultant's clients."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow
from tests.base import BaseTestCase


class PortfolioTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client_b = Organisation.objects.create(slug="zebre", name="Zèbre Café")
        Membership.objects.create(user=self.alice, organisation=self.client_b, role=Role.VIEWER)
        self.source = Source.objects.create(url="https://avis.example/")
        self.n = 0

    def mention(self, org, sentiment="negative", age=timedelta(hours=1), kind=TrackedKind.BRAND):
        self.n += 1
        tracked, _ = TrackedName.objects.get_or_create(
            organisation=org, label=f"Nom {kind}", defaults={"kind": kind}
        )
        published = timezone.now() - age
        item = Item.objects.create(source=self.source, guid_hash=str(self.n), published=published)
        save_mentions(
            PendingMentions(
                [
                    Mention(
                        organisation=org,
                        tracked_name=tracked,
                        item=item,
                        source=self.source,
                        published=published,
                        sentiment=sentiment,
                    )
                ]
            )
        )

    def url(self, **params):
        return reverse("portfolio")

    def test_it_lists_each_organisation_of_the_user_with_its_figures(self):
        self.mention(self.org, "negative")
        self.mention(self.org, "positive", age=timedelta(days=3))
        self.mention(self.org, "positive", age=timedelta(days=10))  # in 30 days only
        self.mention(self.org, "negative", age=timedelta(days=40))  # the 30 days before
        self.mention(self.org, "negative", kind=TrackedKind.COMPETITOR)  # not counted
        self.mention(self.other_org, "negative")  # someone else's client
        Mention.objects.filter(
            organisation=self.org, published__lt=timezone.now() - timedelta(days=2)
        ).update(status="handled")
        self.source.error_count = 3
        self.source.save(update_fields=["error_count"])
        Follow.objects.create(organisation=self.org, source=self.source)
        self.login(self.alice)
        page = self.client.get(self.url())
        rows = {r["org"].slug: r for r in page.context["rows"]}
        self.assertEqual(set(rows), {"alice-co", "zebre"})
        a = rows["alice-co"]
        self.assertEqual(
            (a["mentions7"], a["negative7"], a["mentions30"], a["negative30"]), (2, 1, 3, 1)
        )
        # Small bases: changes in mentions, not percentages (figures.SMALL_BASE).
        self.assertEqual((a["trend30"].diff, a["trend30"].percent), (2, None))
        self.assertEqual(a["trend7"].diff, 1)  # against the 7 days before only
        self.assertEqual(a["unhandled"], 1)
        self.assertEqual(a["errors"], 1)
        self.assertIsNotNone(a["last"])
        self.assertIsNone(rows["zebre"]["last"])
        self.assertContains(page, reverse("dashboard", args=[self.client_b.code]))
        self.assertNotContains(page, "Charlie Inc")

    def test_it_sorts_by_any_column(self):
        self.mention(self.client_b, "negative")
        self.login(self.alice)
        page = self.client.get(self.url(), {"sort": "negative7"})
        self.assertEqual([r["org"].slug for r in page.context["rows"]], ["zebre", "alice-co"])
        self.assertContains(page, 'aria-sort="descending"')
        page = self.client.get(self.url(), {"sort": "-negative7"})
        self.assertEqual([r["org"].slug for r in page.context["rows"]], ["alice-co", "zebre"])
        page = self.client.get(self.url(), {"sort": "nonsense"})
        self.assertEqual([r["org"].slug for r in page.context["rows"]], ["alice-co", "zebre"])

    def test_it_shows_each_role_only_their_organisations(self):
        for user, expected in (
            (self.bob, ["alice-co"]),
            (self.viewer, ["alice-co"]),
            (self.charlie, ["charlie-inc"]),
        ):
            self.login(user)
            page = self.client.get(self.url())
            self.assertEqual([r["org"].slug for r in page.context["rows"]], expected)

    def test_it_redirects_anonymous_users_to_login(self):
        self.assertRedirects(self.client.get(self.url()), reverse("login") + "?next=" + self.url())

    def test_it_sends_a_consultant_to_the_portfolio_and_an_owner_to_the_dashboard(self):
        self.login(self.alice)
        self.assertRedirects(self.client.get("/"), self.url())
        self.login(self.bob)
        self.assertRedirects(self.client.get("/"), reverse("dashboard", args=[self.org.code]))

    def test_it_uses_a_fixed_number_of_queries(self):
        self.login(self.alice)
        self.client.get(self.url())
        # 7: the response figures of all clients (replies/figures.py, two queries
        # when computed) were kept by the first request.
        with self.assertNumQueries(7):
            self.client.get(self.url())
        for org in (self.org, self.client_b):
            self.mention(org)
        with self.assertNumQueries(7):
            self.client.get(self.url())
