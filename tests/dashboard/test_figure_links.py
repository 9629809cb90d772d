"""From a figure to the mentions behind it: each figure of the dashboard, the
portfolio and the monthly report links to the inbox, and the inbox then counts
exactly the figure (its "N mentions" line, data-total)."""

import re
from datetime import UTC, datetime, time, timedelta
from itertools import count

from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Source, SourceState
from reputation.mentions.finding.saving import PendingMentions, save_mentions
from reputation.mentions.models import Mention
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow
from tests.base import BaseTestCase

_n = count()


def inbox_total(test, url: str) -> int:
    """The inbox's own count of the mentions a link shows."""
    response = test.client.get(url)
    test.assertEqual(response.status_code, 200, url)
    found = re.search(rb'data-total="(\d+)"', response.content)
    test.assertIsNotNone(found, "the inbox says how many mentions it shows")
    return int(found.group(1))


class FigureData(BaseTestCase):
    """Mentions saved as a poll saves them, and the inbox's count of a link."""

    def setUp(self):
        super().setUp()
        self.source = self.followed("https://avis.example/", "Avis du coin")
        self.login(self.alice)

    def followed(self, url, title="", org=None) -> Source:
        source = Source.objects.create(url=url, title=title)
        Follow.objects.create(organisation=org or self.org, source=source)
        return source

    def tracked(self, label="Dupont", kind=TrackedKind.BRAND, org=None) -> TrackedName:
        return TrackedName.objects.get_or_create(
            organisation=org or self.org, label=label, defaults={"kind": kind}
        )[0]

    def mention(self, sentiment="negative", published=None, org=None, **kw) -> Mention:
        """A mention saved as a poll saves them (rollups included)."""
        org = org or self.org
        n = next(_n)
        source = kw.pop("source", self.source)
        published = published or timezone.now() - kw.pop("age", timedelta(hours=2))
        item = Item.objects.create(source=source, guid_hash=f"f{n}", published=published)
        mention = Mention(
            organisation=org,
            tracked_name=kw.pop("tracked", None) or self.tracked(org=org),
            item=item,
            source=source,
            url=f"https://avis.example/{n}",
            published=published,
            sentiment=sentiment,
            title=f"Avis {n}",
            **kw,
        )
        save_mentions(PendingMentions([mention]))
        return mention

    def dashboard(self, query=""):
        response = self.client.get(reverse("dashboard", args=[self.org.code]) + query)
        self.assertEqual(response.status_code, 200)
        return response.context

    def assert_same(self, figure: int, url: str):
        self.assertGreater(figure, 0, "a figure of nothing proves nothing")
        self.assertEqual(inbox_total(self, url), figure, url)

    def some_mentions(self):
        self.mention("negative", aspects=["price", "staff"], author="Jeanne")
        self.mention("negative", aspects=["price"], author="Jeanne ")
        self.mention("positive", aspects=["staff"], author="Paul", age=timedelta(days=3))
        self.mention("neutral", age=timedelta(days=5))
        # Not in the figures: older than the period, a competitor, the undated
        # backlog of a first poll. The links must leave them out too.
        self.mention("negative", age=timedelta(days=40))
        rival = self.tracked("Martin", TrackedKind.COMPETITOR)
        self.mention("negative", tracked=rival)
        self.mention("positive", tracked=rival, age=timedelta(days=2))
        self.mention("negative", published_known=False, alertable=False)


class DashboardLinksTestCase(FigureData):
    def test_it_links_each_tile_to_as_many_mentions(self):
        self.some_mentions()
        current = self.dashboard()["f"]["current"]
        links = current["links"]
        self.assertEqual(current["total"], 4)
        for key in ("total", "positive", "neutral", "negative"):
            self.assert_same(current[key], links[key])
        self.assert_same(current["positive"] + current["negative"], links["index"])

    def test_it_links_the_tiles_of_a_chosen_period(self):
        self.some_mentions()
        today = timezone.now().astimezone(self.org.zone).date()
        start = today - timedelta(days=4)
        current = self.dashboard(f"?start={start}&end={today}")["f"]["current"]
        self.assertEqual(current["total"], 3)
        self.assert_same(current["total"], current["links"]["total"])

    def test_it_links_a_bar_of_a_day_in_the_organisations_zone(self):
        # Auckland is UTC+13 in December; the site's zone is Paris.
        self.org.time_zone = "Pacific/Auckland"
        self.org.save()
        zone = self.org.zone
        day = timezone.now().astimezone(zone).date() - timedelta(days=3)
        late = datetime.combine(day, time(23, 50), zone)
        early_next = datetime.combine(day + timedelta(days=1), time(0, 10), zone)
        # In UTC (and in Paris) both are on the same day: only the zone tells them apart.
        self.assertEqual(early_next.astimezone(UTC).date(), late.date())
        self.mention("negative", published=late)
        self.mention("negative", published=early_next)
        self.mention("positive", published=early_next)
        ctx = self.dashboard()
        days = [p["day"] for p in ctx["f"]["over_time"]]
        i = days.index(day)
        tones = ctx["charts"]["tones"]["datasets"]
        negative = next(d for d in tones if d["tone"] == "negative")
        self.assertEqual(negative["data"][i], 1)
        self.assert_same(negative["data"][i], negative["links"][i])
        self.assert_same(negative["data"][i + 1], negative["links"][i + 1])
        positive = next(d for d in tones if d["tone"] == "positive")
        self.assertEqual(positive["data"][i], 0)
        self.assertEqual(inbox_total(self, positive["links"][i]), 0)
        self.assert_same(positive["data"][i + 1], positive["links"][i + 1])
        # The table under the chart carries the same links.
        page = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertContains(page, 'href="{}"'.format(negative["links"][i].replace("&", "&amp;")))

    def test_it_links_the_weeks_of_a_long_period(self):
        self.mention("negative", age=timedelta(days=20))
        self.mention("negative", age=timedelta(days=22))
        ctx = self.dashboard("?days=90")
        negative = next(d for d in ctx["charts"]["tones"]["datasets"] if d["tone"] == "negative")
        points = [
            (n, link) for n, link in zip(negative["data"], negative["links"], strict=True) if n
        ]
        self.assertTrue(points)
        for n, link in points:
            self.assert_same(n, link)

    def test_it_links_each_row_of_the_sources(self):
        forum = self.followed("https://forum.example/", "Forum")
        self.some_mentions()
        self.mention("negative", source=forum)
        self.mention("positive", source=forum)
        self.mention("positive", source=forum)
        rows = self.dashboard()["f"]["sources"]
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assert_same(row["n"], row["link"])
            self.assert_same(row["negative"], row["negative_link"])
            self.assert_same(row["n"] - row["negative"], row["other_link"])
        chart = self.dashboard()["charts"]["sources"]
        self.assertEqual(chart["datasets"][0]["links"], [r["negative_link"] for r in rows])

    def test_it_gives_no_link_for_a_source_no_longer_followed(self):
        self.mention("negative")
        Follow.objects.filter(organisation=self.org).delete()
        row = self.dashboard()["f"]["sources"][0]
        self.assertNotIn("link", row)

    def test_it_links_each_row_of_the_authors(self):
        self.some_mentions()
        rows = {r["author"]: r for r in self.dashboard()["f"]["authors"]}
        self.assertEqual(rows["Jeanne"]["n"], 2)  # "Jeanne " is the same author
        for row in rows.values():
            self.assert_same(row["n"], row["link"])
        self.assert_same(rows["Jeanne"]["negative"], rows["Jeanne"]["negative_link"])

    def test_it_links_each_row_and_point_of_the_subjects(self):
        self.some_mentions()
        ctx = self.dashboard()
        rows = {r["key"]: r for r in ctx["f"]["aspects"]["rows"]}
        self.assertEqual((rows["price"]["negative"], rows["staff"]["positive"]), (2, 1))
        for row in rows.values():
            self.assert_same(sum(row[t] for t in ("positive", "neutral", "negative")), row["link"])
            for tone in ("positive", "negative"):
                if row[tone]:
                    self.assert_same(row[tone], row["links"][tone])
        for dataset in ctx["charts"]["aspects"]["datasets"]:
            for n, link in zip(dataset["data"], dataset["links"], strict=True):
                if n:
                    self.assert_same(n, link)

    def test_it_links_the_share_of_voice_of_a_competitor_and_of_oneself(self):
        self.some_mentions()
        share = self.dashboard()["f"]["share"]
        own, rival = share
        self.assertTrue(own["own"])
        self.assertEqual(rival["n"], 2)
        self.assert_same(own["n"], own["link"])
        self.assert_same(rival["n"], rival["link"])
        code = TrackedName.objects.get(label="Martin").code
        self.assertIn(f"name={code}", rival["link"])

    def test_it_opens_the_mention_page_from_the_latest_mentions(self):
        m = self.mention("negative")
        response = self.client.get(reverse("dashboard", args=[self.org.code]))
        detail = reverse("mention-detail", args=[self.org.code, m.code])
        self.assertContains(response, f'class="title" href="{detail}?back=')
        self.assertContains(response, f'class="original" href="{m.url}"')
        self.assertNotContains(response, f'class="title" href="{m.url}"')
        original = re.search(rb'<a class="original"[^>]*>', response.content).group(0)
        self.assertIn(b'target="_blank"', original)
        self.assertContains(response, "opens in a new tab")


class PortfolioLinksTestCase(FigureData):
    def setUp(self):
        super().setUp()
        self.org.time_zone = "America/Los_Angeles"
        self.org.save()
        self.client_b = Organisation.objects.create(slug="zebre", name="Zèbre Café")
        Membership.objects.create(user=self.alice, organisation=self.client_b, role=Role.VIEWER)

    def test_it_links_each_cell_of_the_portfolio_to_as_many_mentions(self):
        self.some_mentions()
        self.mention("negative", age=timedelta(days=10))
        handled = self.mention("negative", age=timedelta(days=12))
        Mention.objects.filter(code=handled.code).update(status="handled")
        todo = self.mention("negative", age=timedelta(days=13))
        Mention.objects.filter(code=todo.code).update(status="todo")
        self.mention("negative", org=self.client_b)
        response = self.client.get(reverse("portfolio"))
        row = next(r for r in response.context["rows"] if r["org"] == self.org)
        for key in ("mentions7", "negative7", "mentions30", "negative30", "unhandled"):
            self.assert_same(row[key], row["links"][key])
            self.assertContains(response, f'href="{row["links"][key]}"'.replace("&", "&amp;"))
        # Untreated, whenever published: new or to handle (the 13-day one), never
        # handled; the undated backlog and the 40-day one included, competitors not.
        self.assertEqual(row["unhandled"], 6)
        self.assertEqual(row["negative30"], 5)  # the handled one too

    def test_it_links_the_sources_in_error_to_the_sources_page_so_filtered(self):
        broken = self.followed("https://broken.example/", "Cassé")
        Source.objects.filter(pk=broken.pk).update(error_count=3)
        paused = self.followed("https://paused.example/", "En pause")
        Source.objects.filter(pk=paused.pk).update(state=SourceState.PAUSED)
        response = self.client.get(reverse("portfolio"))
        row = next(r for r in response.context["rows"] if r["org"] == self.org)
        self.assertEqual(row["errors"], 2)
        page = self.client.get(row["links"]["errors"])
        self.assertEqual(len(page.context["follows"]), row["errors"])
        self.assertContains(page, "Cassé")
        self.assertNotContains(page, "Avis du coin")
        everything = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertEqual(len(everything.context["follows"]), 3)


class ReportLinksTestCase(FigureData):
    def test_it_links_the_figures_of_the_online_report_only(self):
        self.org.time_zone = "Pacific/Auckland"
        self.org.save()
        zone = self.org.zone
        # The first hour of 1 November in Auckland is still October in UTC.
        self.mention("negative", published=datetime(2026, 11, 1, 0, 30, tzinfo=zone))
        self.mention("negative", published=datetime(2026, 10, 31, 23, 30, tzinfo=zone))
        self.mention("positive", published=datetime(2026, 11, 9, 12, tzinfo=zone))
        self.mention("neutral", published=datetime(2026, 11, 30, 23, 50, tzinfo=zone))
        self.mention("negative", aspects=["price"], published=datetime(2026, 11, 20, tzinfo=zone))
        url = reverse("report", args=[self.org.code]) + "?month=2026-11"
        response = self.client.get(url)
        html = response.content.decode()
        links = re.findall(r'href="(/org/[^"]+/mentions/\?[^"]+)"', html)
        self.assertTrue(links)
        numbers = re.findall(r'href="(/org/[^"]+/mentions/\?[^"]+)">(\d+)</a>', html)
        self.assertGreaterEqual(len(numbers), 5 + 4 * 4)
        for link, n in numbers:
            self.assertEqual(inbox_total(self, link.replace("&amp;", "&")), int(n), link)
        self.assertIn('">4</a>', html)  # the month's total, 31 October apart
        pdf = self.client.get(url + "&format=pdf")
        self.assertEqual(pdf.status_code, 200)
