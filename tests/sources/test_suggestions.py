"""Sources found for a tracked name (reputation/sources/suggestions.py), against a
real local website and local news searches; followed in one click through the one
follow path (limits, roles)."""

from urllib.parse import unquote_plus

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from monitoring.models import Source
from reputation.names.models import TrackedKind, TrackedName
from reputation.orgs.models import Organisation
from reputation.sources import suggestions
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.httpserver import LocalServer
from tests.names.test_views_tracked import make_item
from tests.suggestion_sites import NAME, TOWN, serve


class SuggestionsBase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        overrides = override_settings(**serve(self.server))
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.tracked = TrackedName.objects.create(
            organisation=self.org, label=NAME, town=TOWN, website=self.server.url("/site/")
        )

    def page_url(self, tracked=None, org=None):
        tracked = tracked or self.tracked
        return reverse("suggested-sources", args=[(org or self.org).code, tracked.code])

    def follow_url(self, tracked=None, org=None):
        tracked = tracked or self.tracked
        return reverse("follow-suggested", args=[(org or self.org).code, tracked.code])

    def found(self):
        return suggestions.suggest(self.org, self.tracked).suggestions


class SuggestTestCase(SuggestionsBase):
    def test_it_suggests_searches_feeds_and_reviews_from_name_town_and_website(self):
        found = self.found()
        by_kind = {}
        for s in found:
            by_kind.setdefault(s.kind, []).append(s)
        self.assertGreaterEqual(len(found), 5)
        # The news searches, the town in the query to tell homonyms apart.
        searches = by_kind["search"]
        self.assertEqual([s.preset for s in searches], ["google_news", "bing_news"])
        for s in searches:
            self.assertIn('q="Boulangerie Dupont" Villeurbanne', unquote_plus(s.url))
            self.assertEqual(s.source_kind, "search")
        # The two feeds the home page announces, with their titles.
        feeds = {s.url: s.label for s in by_kind["feed"]}
        self.assertEqual(
            feeds,
            {
                self.server.url("/site/feed.xml"): "Search",
                self.server.url("/site/recettes.xml"): "Recettes de la Boulangerie Dupont",
            },
        )
        # The page the home page links to as "Avis clients", which holds schema.org
        # reviews; the hours page holds none.
        [reviews] = by_kind["reviews"]
        self.assertEqual(reviews.url, self.server.url("/site/avis/"))
        self.assertEqual(reviews.source_kind, "html")
        self.assertIn("(12)", reviews.why)  # the count its AggregateRating states
        self.assertFalse(any(s.followed for s in found))

    def test_it_reads_the_website_once_for_several_pages(self):
        self.found()
        self.found()
        homes = [p for method, p, _h in self.server.requests if p == "/site/"]
        self.assertEqual(len(homes), 1)

    def test_it_says_why_an_unreachable_website_gave_nothing(self):
        self.tracked.website = self.server.url("/gone/")
        found = suggestions.suggest(self.org, self.tracked)
        self.assertIn("404", found.error)
        self.assertEqual([s.kind for s in found.suggestions], ["search", "search"])

    @override_settings(DIAGNOSTIC_SEARCHES=None)
    def test_it_builds_the_news_searches_in_the_organisations_language(self):
        self.tracked.website = ""
        urls = [s.url for s in self.found()]
        self.assertEqual(len(urls), 2)
        self.assertTrue(urls[0].startswith("https://news.google.com/rss/search?"))
        for param in ("hl=fr", "gl=FR", "ceid=FR:fr"):
            self.assertIn(param, urls[0])
        for param in ("setlang=fr", "cc=FR"):
            self.assertIn(param, urls[1])
        self.assertIn('"Boulangerie Dupont" Villeurbanne', unquote_plus(urls[1]))
        self.org.language = "en"
        self.assertIn("cc=US", self.found()[1].url)
        self.assertIn("setlang=en", self.found()[1].url)

    @override_settings(DIAGNOSTIC_SEARCHES=None)
    def test_it_suggests_reddit_only_where_people_discuss_it(self):
        self.tracked.website = ""
        self.assertNotIn("reddit_search", [s.preset for s in self.found()])
        self.tracked.kind, self.tracked.town = TrackedKind.PRODUCT, ""
        self.assertIn("reddit_search", [s.preset for s in self.found()])

    @override_settings(DEMO_MODE=True, DIAGNOSTIC_SEARCHES=None, SITE_ROOT="http://demo.test")
    def test_it_suggests_the_demos_offline_sources_in_demo_mode(self):
        self.tracked.website = ""
        found = self.found()
        self.assertGreaterEqual(len(found), 5)
        self.assertTrue(all(s.url.startswith("http://demo.test/demo/") for s in found))
        self.assertEqual(self.server.requests, [])  # nothing fetched

    def test_it_gives_each_searchs_expected_noise(self):
        source = Source.objects.create(url="https://example.org/feed.xml", title="Blog")
        for n in range(60):
            # 15 of 60 items name the bakery in its town; 15 more name it elsewhere.
            where = "Villeurbanne" if n % 4 == 0 else "Lyon"
            title = f"Boulangerie Dupont à {where}" if n % 2 == 0 else f"Marché {n}"
            make_item(source, n, title, "Ouverture samedi.")
        found = suggestions.suggest(self.org, self.tracked)
        [google, bing] = [s for s in found.suggestions if s.kind == "search"]
        self.assertEqual((google.noise.matched, google.noise.tried), (15, 60))
        self.assertEqual(google.noise.percent, 25)
        self.assertTrue(google.noise.noisy)
        self.assertIsNone(next(s for s in found.suggestions if s.kind == "feed").noise)
        self.assertEqual(found.name_noise.percent, 50)
        self.login(self.bob)
        r = self.client.get(self.page_url())
        self.assertContains(r, "Its query matches 25 % of the 60 items collected lately.")
        self.assertContains(r, "this name alone matches 50 % of the 60 items")


class FollowTestCase(SuggestionsBase):
    def token(self, kind="search"):
        return next(s for s in self.found() if s.kind == kind).token

    def test_it_shows_the_suggestions_page(self):
        self.login(self.bob)
        r = self.client.get(self.page_url())
        self.assertContains(r, "Here is what we found for you")
        self.assertContains(r, 'class="primary small follow"', count=5)
        self.assertContains(r, "Recettes de la Boulangerie Dupont")

    def test_it_follows_a_search_in_one_click(self):
        self.login(self.bob)
        r = self.client.post(self.follow_url(), {"suggestion": self.token()})
        self.assertRedirects(r, self.page_url(), fetch_redirect_response=False)
        follow = Follow.objects.get(organisation=self.org)
        self.assertEqual(follow.preset, "google_news")
        self.assertEqual(follow.tracked_name, self.tracked)
        self.assertEqual(follow.source.kind, "search")
        self.assertIn("Villeurbanne", unquote_plus(follow.source.url))
        r = self.client.get(self.page_url())
        self.assertContains(r, 'class="badge positive followed"', count=1)
        self.assertContains(r, 'class="primary small follow"', count=4)
        # Twice: still one follow.
        r = self.client.post(self.follow_url(), {"suggestion": self.token()})
        self.assertEqual(Follow.objects.filter(organisation=self.org).count(), 1)

    def test_it_follows_the_review_page_read_without_selectors(self):
        self.login(self.bob)
        self.client.post(self.follow_url(), {"suggestion": self.token("reviews")})
        source = Follow.objects.get(organisation=self.org).source
        self.assertEqual(
            (source.url, source.kind, source.config), (self.server.url("/site/avis/"), "html", {})
        )

    def test_it_shares_the_source_another_organisation_follows(self):
        token = self.token("feed")
        self.login(self.bob)
        self.client.post(self.follow_url(), {"suggestion": token})
        self.login(self.charlie)
        other = TrackedName.objects.create(organisation=self.other_org, label=NAME, town=TOWN)
        other.website = self.tracked.website
        other.save()
        feed = next(
            s for s in suggestions.suggest(self.other_org, other).suggestions if s.kind == "feed"
        )
        self.client.post(self.follow_url(other, self.other_org), {"suggestion": feed.token})
        self.assertEqual(Source.objects.count(), 1)
        self.assertEqual(Follow.objects.count(), 2)

    @override_settings(ORG_MAX_SOURCES=1)
    def test_it_keeps_within_the_organisations_limit(self):
        self.login(self.bob)
        self.client.post(self.follow_url(), {"suggestion": self.token("search")})
        r = self.client.post(self.follow_url(), {"suggestion": self.token("feed")})
        self.assertEqual(Follow.objects.filter(organisation=self.org).count(), 1)
        [message] = [str(m) for m in get_messages(r.wsgi_request)][-1:]
        self.assertIn("the most it can", message)

    def test_it_refuses_viewers_and_outsiders(self):
        token = self.token()
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.page_url()).status_code, 403)
        self.assertEqual(
            self.client.post(self.follow_url(), {"suggestion": token}).status_code, 403
        )
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.page_url()).status_code, 404)
        self.assertEqual(
            self.client.post(self.follow_url(), {"suggestion": token}).status_code, 404
        )
        self.assertFalse(Follow.objects.exists())

    def test_it_refuses_a_suggestion_made_for_another_organisation_or_changed(self):
        token = self.token()
        # Charlie replays Alice's suggestion on his own organisation's page.
        other = TrackedName.objects.create(organisation=self.other_org, label=NAME)
        self.login(self.charlie)
        r = self.client.post(self.follow_url(other, self.other_org), {"suggestion": token})
        self.assertIn("expired", [str(m) for m in get_messages(r.wsgi_request)][0])
        self.login(self.bob)
        self.client.post(self.follow_url(), {"suggestion": token[:-2] + "xx"})
        self.client.post(self.follow_url(), {"suggestion": ""})
        self.assertFalse(Follow.objects.exists())


class NameFormTestCase(SuggestionsBase):
    def post(self, **data):
        self.login(self.bob)
        data = {"label": "Boulangerie Martin", "kind": "brand", "action": "save", **data}
        return self.client.post(reverse("tracked-add", args=[self.org.code]), data)

    def test_it_saves_town_and_website_then_shows_the_suggestions(self):
        r = self.post(town="  Villeurbanne ", website=f"127.0.0.1:{self.server.port}/site/")
        tracked = TrackedName.objects.get(label="Boulangerie Martin")
        self.assertEqual(tracked.town, "Villeurbanne")
        self.assertEqual(tracked.website, f"https://127.0.0.1:{self.server.port}/site/")
        self.assertRedirects(r, self.page_url(tracked), fetch_redirect_response=False)

    @override_settings(FETCH_ALLOW_PRIVATE_ADDRESSES=False)
    def test_it_refuses_a_website_the_fetcher_would_not_read(self):
        for website in ("ftp://example.org/", "http://me:pw@example.org/", "http://10.0.0.1/"):
            r = self.post(website=website)
            self.assertEqual(r.status_code, 200)
            self.assertIn("website", r.context["form"].errors)
        self.assertFalse(TrackedName.objects.filter(label="Boulangerie Martin").exists())

    def test_it_offers_the_business_name_first_then_links_each_name(self):
        self.tracked.delete()
        self.login(self.bob)
        r = self.client.get(reverse("tracked-add", args=[self.org.code]))
        self.assertEqual(r.context["form"]["label"].value(), "Alice & Co")
        tracked = TrackedName.objects.create(organisation=self.org, label=NAME)
        r = self.client.get(reverse("add-source", args=[self.org.code]))
        self.assertContains(r, self.page_url(tracked))
        r = self.client.get(reverse("tracked-names", args=[self.org.code]))
        self.assertContains(r, self.page_url(tracked))


class UnusedOrgTestCase(BaseTestCase):
    def test_it_links_the_review_platform_an_owner_signs_in_to(self):
        org = Organisation.objects.create(slug="x", name="X")
        tracked = TrackedName.objects.create(organisation=org, label="X Y")
        with self.settings(GOOGLE_CLIENT_ID="", GOOGLE_CLIENT_SECRET=""):
            found = {s.url: s for s in suggestions.connector_suggestions(org, tracked)}
        self.assertEqual(found, {})
        with self.settings(GOOGLE_CLIENT_ID="id", GOOGLE_CLIENT_SECRET="secret"):
            found = {s.url: s for s in suggestions.connector_suggestions(org, tracked)}
        google = found[reverse("connect-google", args=[org.code])]
        self.assertEqual(google.kind, "connector")
        self.assertIn("Google", google.label)
