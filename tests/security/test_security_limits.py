"""Issue 9, point 6: lists are paginated, organisations have limits with a clear
message, and a poll's work is bounded whatever a page holds or an organisation tracks."""

from django.test import override_settings
from django.urls import reverse

from monitoring.models import Item, Source
from monitoring.pipeline import poll
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.sources.follow import follow_source
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.httpserver import LocalServer


def rss(n: int, text: str = "") -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>https://f.example/{i}</link><guid>{i}</guid>"
        f"<description>{text} number {i}</description></item>"
        for i in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    ).encode()


class PagesTestCase(BaseTestCase):
    def test_it_hides_the_pages_from_outsiders(self):
        self.login(self.charlie)
        for name in ("tracked-names", "sources"):
            url = reverse(name, args=[self.org.code]) + "?page=2"
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_shows_names_fifty_at_a_time(self):
        TrackedName.objects.bulk_create(
            TrackedName(organisation=self.org, label=f"Name {i:03d}") for i in range(120)
        )
        self.login(self.viewer)
        url = reverse("tracked-names", args=[self.org.code])
        first = self.client.get(url).content.decode()
        self.assertIn("Name 000", first)
        self.assertNotIn("Name 050", first)
        self.assertIn("?page=2", first)
        last = self.client.get(url + "?page=3").content.decode()
        self.assertIn("Name 119", last)
        self.assertNotIn("Name 099", last)
        self.assertIn("Page 3 of 3", last)

    def test_it_shows_sources_fifty_at_a_time_in_name_order(self):
        for i in range(60):
            source = Source.objects.create(url=f"https://s{i:02d}.example/feed", title=f"S{i:02d}")
            Follow.objects.create(organisation=self.org, source=source)
        self.login(self.viewer)
        url = reverse("sources", args=[self.org.code])
        first = self.client.get(url).content.decode()
        self.assertIn("S00", first)
        self.assertIn("S49", first)
        self.assertNotIn("S50", first)
        second = self.client.get(url + "?page=2").content.decode()
        self.assertIn("S59", second)
        self.assertNotIn("S49", second)


@override_settings(ORG_MAX_TRACKED_NAMES=3, ORG_MAX_SOURCES=1)
class LimitsTestCase(BaseTestCase):
    def test_it_limits_the_names_of_an_organisation(self):
        for i in range(3):
            TrackedName.objects.create(organisation=self.org, label=f"Name {i}")
        self.login(self.bob)
        url = reverse("tracked-add", args=[self.org.code])
        response = self.client.post(url, {"label": "One more", "kind": "brand"}, follow=True)
        self.assertContains(response, "tracks 3 names, the most it can")
        self.assertEqual(TrackedName.objects.filter(organisation=self.org).count(), 3)
        # Another organisation is not affected.
        self.login(self.charlie)
        url = reverse("tracked-add", args=[self.other_org.code])
        self.client.post(url, {"label": "Charlie", "kind": "brand"})
        self.assertTrue(TrackedName.objects.filter(organisation=self.other_org).exists())

    def test_it_limits_the_sources_of_an_organisation(self):
        follow_source(self.org, "https://one.example/feed")
        self.login(self.bob)
        url = reverse("add-feed", args=[self.org.code])
        response = self.client.post(url, {"url": "https://two.example/feed"})
        self.assertContains(response, "follows 1 sources, the most it can")
        self.assertEqual(Follow.objects.filter(organisation=self.org).count(), 1)


class PollBoundsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)

    def feed(self, body):
        self.server.route("/f.xml", body, headers={"Content-Type": "application/rss+xml"})
        source, _ = follow_source(self.org, self.server.url("/f.xml"))
        return source

    @override_settings(POLL_MAX_ITEMS=5)
    def test_it_reads_a_bounded_number_of_items_per_poll(self):
        report = poll.poll_now([self.feed(rss(12))])[0]
        self.assertEqual((report.items_found, report.items_new), (5, 5))
        self.assertEqual(Item.objects.count(), 5)

    @override_settings(POLL_MAX_MENTIONS_PER_ITEM=3)
    def test_it_gives_an_organisation_a_bounded_number_of_mentions_per_item(self):
        words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
        for word in words:
            TrackedName.objects.create(organisation=self.org, label=word)
        TrackedName.objects.create(organisation=self.other_org, label="Alpha")
        Follow.objects.create(
            organisation=self.other_org, source=self.feed(rss(1, " ".join(words)))
        )
        poll.poll_now(list(Source.objects.all()))
        self.assertEqual(Mention.objects.filter(organisation=self.org).count(), 3)
        self.assertEqual(Mention.objects.filter(organisation=self.other_org).count(), 1)
