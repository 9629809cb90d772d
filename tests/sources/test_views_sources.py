import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, PollLog, Source, SourceKind, SourceState
from monitoring.tools.shared_data import shared_data
from reputation.names.models import TrackedName
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.httpserver import LocalServer
from tests.shared import needs

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le blog de la boulangerie</title>
<link>http://example.org/</link><description>Nouvelles</description>
<item><title>Nouveau pain</title><link>http://example.org/pain</link>
<guid>http://example.org/pain</guid><description>Un pain au levain.</description></item>
</channel></rss>"""


class SourceViewsBase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://example.org/feed.xml", title="Blog")
        self.follow = Follow.objects.create(organisation=self.org, source=self.source)

    def url(self, name, source=None):
        source = source or self.source
        return reverse(name, args=[self.org.code, source.code])


class SourcesListTestCase(SourceViewsBase):
    def test_it_lists_followed_sources_to_member(self):
        self.login(self.bob)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertContains(r, "Blog")
        self.assertContains(r, self.url("source-detail"))
        self.assertContains(r, self.url("source-poll"))

    def test_it_shows_viewer_no_buttons(self):
        self.login(self.viewer)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertContains(r, "Blog")
        self.assertNotContains(r, self.url("source-poll"))
        self.assertNotContains(r, self.url("source-unfollow"))

    def test_it_hides_list_from_outsider(self):
        self.login(self.charlie)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertEqual(r.status_code, 404)

    def test_it_requires_login(self):
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertRedirects(r, reverse("login") + "?next=" + r.wsgi_request.path)

    def test_it_does_not_list_other_organisations_sources(self):
        other = Source.objects.create(url="https://charlie.example/feed.xml", title="Charlie")
        Follow.objects.create(organisation=self.other_org, source=other)
        self.login(self.bob)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertNotContains(r, "Charlie")

    def test_it_shows_health(self):
        now = timezone.now()
        self.source.last_success_at = now - timedelta(hours=1)
        self.source.last_status = 200
        self.source.save()
        PollLog.objects.create(source=self.source, status=200, items_found=17)
        PollLog.objects.create(source=self.source, status=200, items_found=23)
        paused = Source.objects.create(
            url="https://example.org/broken.xml",
            title="Broken",
            state=SourceState.PAUSED,
            error_count=10,
            last_error="the server answered 404",
            last_status=404,
        )
        Follow.objects.create(organisation=self.org, source=paused)
        self.login(self.bob)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertContains(r, ">17<")
        self.assertContains(r, ">23<")
        self.assertContains(r, "The server answered 404")
        self.assertContains(r, "10 failed attempts in a row")
        self.assertContains(r, self.url("source-resume", paused))
        self.assertNotContains(r, self.url("source-resume"))

    def test_it_flags_a_silent_source(self):
        now = timezone.now()
        self.source.last_success_at = now
        self.source.save()
        for d in range(10):
            item = Item.objects.create(
                source=self.source, guid_hash=str(d), published=now - timedelta(days=20 + d)
            )
            item.sightings.create(source=self.source, guid_hash=str(d), published=item.published)
        self.login(self.bob)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertContains(r, "badge silent")

    def test_it_uses_a_fixed_number_of_queries(self):
        def add_sources(start, n):
            for i in range(start, start + n):
                s = Source.objects.create(url=f"https://example.org/{i}.xml")
                Follow.objects.create(organisation=self.org, source=s)
                for k in range(3):
                    PollLog.objects.create(source=s, items_found=k)
                    Item.objects.create(source=s, guid_hash=f"{i}-{k}", published=timezone.now())

        self.login(self.bob)
        url = reverse("sources", args=[self.org.code])
        add_sources(0, 1)
        self.client.get(url)  # warm up the session
        # session, user, membership, count (pages), follows, polls, sightings (every
        # source's own dates are on its sightings)
        with self.assertNumQueries(7):
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        add_sources(10, 5)
        with self.assertNumQueries(7):
            r = self.client.get(url)
        self.assertContains(r, "source-card", count=7)


class SourceDetailTestCase(SourceViewsBase):
    def test_it_shows_poll_log_to_viewer(self):
        PollLog.objects.create(source=self.source, status=503, error="the server answered 503")
        self.login(self.viewer)
        r = self.client.get(self.url("source-detail"))
        self.assertContains(r, "the server answered 503")

    def test_it_hides_source_from_outsider(self):
        self.login(self.charlie)
        r = self.client.get(self.url("source-detail"))
        self.assertEqual(r.status_code, 404)

    def test_it_hides_sources_the_organisation_does_not_follow(self):
        # The source exists and Charlie follows it, but Alice & Co does not.
        other = Source.objects.create(url="https://charlie.example/feed.xml")
        Follow.objects.create(organisation=self.other_org, source=other)
        self.login(self.bob)
        r = self.client.get(self.url("source-detail", other))
        self.assertEqual(r.status_code, 404)

    def test_it_requires_login(self):
        r = self.client.get(self.url("source-detail"))
        self.assertEqual(r.status_code, 302)


class SourceActionsTestCase(SourceViewsBase):
    def test_it_resumes_a_paused_source(self):
        Source.objects.filter(pk=self.source.pk).update(
            state=SourceState.PAUSED,
            error_count=10,
            next_fetch_at=timezone.now() + timedelta(days=2),
        )
        self.login(self.bob)
        r = self.client.post(self.url("source-resume"))
        self.assertRedirects(r, self.url("source-detail"))
        self.source.refresh_from_db()
        self.assertEqual(self.source.state, SourceState.ACTIVE)
        self.assertEqual(self.source.error_count, 0)
        self.assertLess(self.source.next_fetch_at, timezone.now() + timedelta(seconds=1))

    def test_it_polls_now(self):
        Source.objects.filter(pk=self.source.pk).update(
            next_fetch_at=timezone.now() + timedelta(hours=3)
        )
        self.login(self.bob)
        self.client.post(self.url("source-poll"))
        self.source.refresh_from_db()
        self.assertLess(self.source.next_fetch_at, timezone.now() + timedelta(seconds=1))

    def test_it_unfollows_and_keeps_the_shared_source(self):
        Follow.objects.create(organisation=self.other_org, source=self.source)
        mine = TrackedName.objects.create(organisation=self.org, label="Alice")
        mine.sources.add(self.source)
        theirs = TrackedName.objects.create(organisation=self.other_org, label="Charlie")
        theirs.sources.add(self.source)
        self.login(self.alice)
        r = self.client.post(self.url("source-unfollow"))
        self.assertRedirects(r, reverse("sources", args=[self.org.code]))
        self.assertFalse(Follow.objects.filter(organisation=self.org).exists())
        self.assertTrue(Source.objects.filter(pk=self.source.pk).exists())
        # Kept: a name restricted to the source finds nothing there any more, rather
        # than silently widening to every source.
        self.assertEqual(list(mine.sources.all()), [self.source])
        self.assertEqual(list(theirs.sources.all()), [self.source])

    def test_it_refuses_writes_to_viewer(self):
        self.login(self.viewer)
        for name in ("source-resume", "source-poll", "source-unfollow"):
            r = self.client.post(self.url(name))
            self.assertEqual(r.status_code, 403, name)
        self.assertTrue(Follow.objects.filter(organisation=self.org).exists())

    def test_it_hides_actions_from_outsider(self):
        self.login(self.charlie)
        for name in ("source-resume", "source-poll", "source-unfollow"):
            r = self.client.post(self.url(name))
            self.assertEqual(r.status_code, 404, name)

    def test_it_requires_login_and_post(self):
        for name in ("source-resume", "source-poll", "source-unfollow"):
            r = self.client.post(self.url(name))
            self.assertEqual(r.status_code, 302, name)
        self.login(self.bob)
        r = self.client.get(self.url("source-unfollow"))
        self.assertEqual(r.status_code, 405)


ADD_PAGES = ("add-source", "add-feed", "add-website", "add-forum", "add-html", "add-search")


class AddSourceAccessTestCase(BaseTestCase):
    def test_it_shows_add_pages_to_member(self):
        self.login(self.bob)
        for name in ADD_PAGES:
            r = self.client.get(reverse(name, args=[self.org.code]))
            self.assertEqual(r.status_code, 200, name)

    def test_it_refuses_add_pages_to_viewer(self):
        self.login(self.viewer)
        for name in ADD_PAGES:
            r = self.client.get(reverse(name, args=[self.org.code]))
            self.assertEqual(r.status_code, 403, name)
        r = self.client.post(
            reverse("add-feed", args=[self.org.code]), {"url": "https://example.org/f.xml"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Source.objects.exists())

    def test_it_hides_add_pages_from_outsider(self):
        self.login(self.charlie)
        for name in ADD_PAGES:
            r = self.client.get(reverse(name, args=[self.org.code]))
            self.assertEqual(r.status_code, 404, name)

    def test_it_requires_login(self):
        for name in ADD_PAGES:
            r = self.client.get(reverse(name, args=[self.org.code]))
            self.assertEqual(r.status_code, 302, name)


BLOG_RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Le blog</title>
<item><title>Un billet</title><link>https://blog.example/1</link></item></channel></rss>"""


class AddFeedTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.server.route("/feed.xml", BLOG_RSS, headers={"Content-Type": "application/rss+xml"})

    def add(self, user, org, name, data):
        self.login(user)
        return self.client.post(reverse(name, args=[org.code]), data)

    def test_it_adds_a_feed(self):
        r = self.add(self.bob, self.org, "add-feed", {"url": self.server.url("/feed.xml")})
        source = Source.objects.get()
        self.assertRedirects(r, reverse("source-detail", args=[self.org.code, source.code]))
        self.assertEqual(source.kind, SourceKind.FEED)
        self.assertTrue(Follow.objects.filter(organisation=self.org, source=source).exists())

    def test_it_shares_the_source_between_organisations(self):
        self.add(self.bob, self.org, "add-feed", {"url": self.server.url("/feed.xml")})
        # Same feed, spelled differently: one Source, two follows.
        other = self.server.url("/feed.xml").replace("http://", "HTTP://")
        self.add(self.charlie, self.other_org, "add-feed", {"url": other})
        self.assertEqual(Source.objects.count(), 1)
        self.assertEqual(Follow.objects.filter(source=Source.objects.get()).count(), 2)

    def test_it_refuses_an_address_that_answers_an_error(self):
        self.server.route("/gone.xml", b"not here", status=404)
        r = self.add(self.bob, self.org, "add-feed", {"url": self.server.url("/gone.xml")})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "404")
        self.assertFalse(Source.objects.exists())

    def test_it_refuses_a_page_that_is_no_feed(self):
        self.server.route("/feed.xml", b"", status=404)  # nor a feed at the usual addresses
        self.server.route(
            "/page", b"<html><head><title>Accueil</title></head><body>Bonjour</body></html>"
        )
        r = self.add(self.bob, self.org, "add-feed", {"url": self.server.url("/page")})
        self.assertContains(r, "This address is a web page, not a feed, and it offers none.")
        self.assertFalse(Source.objects.exists())

    def test_it_offers_the_feeds_of_a_page(self):
        feed = self.server.url("/feed.xml")
        link = f'<link rel="alternate" type="application/rss+xml" href="{feed}">'
        self.server.route("/blog", f"<html><head>{link}</head><body>Blog</body></html>".encode())
        r = self.add(self.bob, self.org, "add-feed", {"url": self.server.url("/blog")})
        self.assertContains(r, "the feeds it offers are listed above")
        self.assertContains(r, f'value="{self.server.url("/feed.xml")}"')
        self.assertContains(r, "Le blog")
        self.assertFalse(Source.objects.exists())

    def test_it_shows_invalid_addresses_as_form_errors(self):
        r = self.add(self.bob, self.org, "add-feed", {"url": "ftp://example.org/feed.xml"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Only http:// and https:// addresses can be watched")
        self.assertFalse(Source.objects.exists())

    def test_it_adds_a_forum_thread_with_selectors(self):
        data = {"url": "https://forum.example.org/t/42", "post": "article.post", "author": ".who"}
        self.add(self.bob, self.org, "add-forum", data)
        source = Source.objects.get()
        self.assertEqual(source.kind, SourceKind.FORUM)
        self.assertEqual(source.config, {"post": "article.post", "author": ".who"})
        self.assertTrue(Follow.objects.filter(organisation=self.org, source=source).exists())

    def test_it_refuses_broken_selectors(self):
        data = {"url": "https://forum.example.org/t/42", "post": "article[["}
        r = self.add(self.bob, self.org, "add-forum", data)
        self.assertContains(r, "not valid")
        self.assertFalse(Source.objects.exists())

    def test_it_adds_a_pasted_alert_feed(self):
        url = "https://www.google.com/alerts/feeds/0123456789/987654321"
        self.add(self.bob, self.org, "add-search", {"form": "url", "url": url})
        source = Source.objects.get()
        self.assertEqual(source.kind, SourceKind.SEARCH)
        self.assertTrue(Follow.objects.filter(organisation=self.org, source=source).exists())

    def test_it_saves_an_html_page_with_its_selectors(self):
        data = {
            "url": "https://avis.example.org/boulangerie",
            "item": "div.review",
            "title": "h3",
            "follow_links": "on",
            "action": "save",
        }
        self.add(self.bob, self.org, "add-html", data)
        source = Source.objects.get()
        self.assertEqual(source.kind, SourceKind.HTML)
        self.assertEqual(source.config, {"item": "div.review", "title": "h3", "follow_links": True})


# --- pages that fetch: a real local HTTP server ------------------------------------


@pytest.fixture
def member_client(client, django_user_model):
    from reputation.orgs.models import Membership, Organisation, Role
    from tests.base import make_user

    org = Organisation.objects.create(slug="boulangerie", name="Boulangerie")
    user = make_user("dora@example.org")
    Membership.objects.create(user=user, organisation=org, role=Role.MEMBER)
    client.force_login(user)
    client.org = org
    return client


SITE = b"""<!doctype html><html><head><title>Boulangerie</title>
<link rel="alternate" type="application/rss+xml" title="Le blog" href="/blog/feed.xml">
</head><body><h1>Boulangerie</h1></body></html>"""


@pytest.mark.django_db
def test_it_lists_the_feeds_a_site_serves(member_client, server: LocalServer):
    server.route("/", SITE)
    server.route("/blog/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"})
    url = reverse("add-website", args=[member_client.org.code])
    r = member_client.post(url, {"url": server.url("/")})
    assert r.status_code == 200
    body = r.content.decode()
    assert server.url("/blog/feed.xml") in body
    assert "Le blog de la boulangerie" in body  # the title read from the probed feed
    assert not Source.objects.exists()  # nothing followed before the pick

    r = member_client.post(url, {"url": server.url("/"), "feed_url": server.url("/blog/feed.xml")})
    source = Source.objects.get()
    assert r.status_code == 302
    assert source.kind == SourceKind.FEED
    assert source.url == server.url("/blog/feed.xml")
    assert Follow.objects.filter(organisation=member_client.org, source=source).exists()


@pytest.mark.django_db
def test_it_offers_a_feed_address_given_as_a_site(member_client, server: LocalServer):
    server.route("/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"})
    url = reverse("add-website", args=[member_client.org.code])
    r = member_client.post(url, {"url": server.url("/feed.xml")})
    assert f'value="{server.url("/feed.xml")}"' in r.content.decode()


@pytest.mark.django_db
def test_it_shows_fetch_errors_as_sentences(member_client, server: LocalServer):
    url = reverse("add-website", args=[member_client.org.code])
    r = member_client.post(url, {"url": server.url("/missing")})  # the server answers 404
    body = r.content.decode()
    assert r.status_code == 200
    assert "404" in body
    assert "Traceback" not in body
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_it_says_when_a_site_has_no_feed(member_client, server: LocalServer):
    server.route("/", b"<!doctype html><html><body><p>Pas de flux ici</p></body></html>")
    url = reverse("add-website", args=[member_client.org.code])
    r = member_client.post(url, {"url": server.url("/")})
    assert reverse("add-html", args=[member_client.org.code]) in r.content.decode()


REVIEWS = b"""<!doctype html><html lang="fr"><body>
<div class="review"><h3>Excellent pain</h3><span class="who">Marie</span>
<p class="txt">Le meilleur croissant du quartier.</p></div>
<div class="review"><h3>Accueil froid</h3><span class="who">Paul</span>
<p class="txt">Vendeuse pas aimable ce matin.</p></div>
</body></html>"""


@pytest.mark.django_db
def test_it_previews_the_entries_of_an_html_page(member_client, server: LocalServer):
    server.route("/avis", REVIEWS)
    url = reverse("add-html", args=[member_client.org.code])
    data = {"url": server.url("/avis"), "item": "div.review", "title": "h3", "body": "p.txt"}
    r = member_client.post(url, {**data, "action": "preview"})
    body = r.content.decode()
    assert "Excellent pain" in body
    assert "Accueil froid" in body
    assert 'value="save"' in body
    assert not Source.objects.exists()  # a preview saves nothing


@pytest.mark.django_db
def test_it_shows_preview_fetch_errors(member_client, server: LocalServer):
    url = reverse("add-html", args=[member_client.org.code])
    data = {"url": server.url("/gone"), "item": "div.review", "action": "preview"}
    r = member_client.post(url, data)
    assert "404" in r.content.decode()
    assert "Traceback" not in r.content.decode()


@pytest.mark.django_db
def test_it_builds_a_search_feed_from_a_tracked_name(member_client):
    tracked = TrackedName.objects.create(
        organisation=member_client.org, label="Boulangerie Dupont", aliases=["Dupont & Fils"]
    )
    url = reverse("add-search", args=[member_client.org.code])
    data = {"form": "preset", "preset": "google_news", "tracked": str(tracked.code)}
    r = member_client.post(url, data)
    assert r.status_code == 302, r.content.decode()
    source = Source.objects.get()
    assert source.kind == SourceKind.SEARCH
    assert source.url.startswith("https://news.google.com/rss/search?")
    assert "q=%22Boulangerie+Dupont%22+OR+%22Dupont+%26+Fils%22" in source.url
    # What the organisation chose stays its own, on its follow, not on the shared source.
    assert source.config == {}
    follow = Follow.objects.get(organisation=member_client.org, source=source)
    assert (follow.preset, follow.tracked_name) == ("google_news", tracked)


@pytest.mark.django_db
def test_it_builds_a_search_feed_from_a_value(member_client):
    url = reverse("add-search", args=[member_client.org.code])
    member_client.post(url, {"form": "preset", "preset": "reddit_subreddit", "value": "france"})
    assert Source.objects.get().url == "https://www.reddit.com/r/france/new/.rss"


@pytest.mark.django_db
def test_it_explains_a_preset_missing_its_name(member_client):
    url = reverse("add-search", args=[member_client.org.code])
    r = member_client.post(url, {"form": "preset", "preset": "google_news"})
    assert r.status_code == 200
    assert "Choose the tracked name" in r.content.decode()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_it_offers_only_the_organisations_names_to_presets(member_client):
    from reputation.orgs.models import Organisation

    other = Organisation.objects.create(slug="other", name="Other")
    foreign = TrackedName.objects.create(organisation=other, label="Secret")
    url = reverse("add-search", args=[member_client.org.code])
    r = member_client.post(
        url, {"form": "preset", "preset": "google_news", "tracked": str(foreign.code)}
    )
    assert r.status_code == 200
    assert not Source.objects.exists()


class SilentThroughSightingsTestCase(SourceViewsBase):
    def test_it_reads_the_rhythm_from_sightings_on_the_list(self):
        now = timezone.now()
        news = Source.objects.create(url="https://news.example.org/rss")
        self.source.last_success_at = now
        self.source.save()
        for d in range(10):
            item = Item.objects.create(
                source=news, guid_hash=str(d), published=now - timedelta(days=20 + d)
            )
            item.sightings.create(source=self.source, guid_hash=str(d), published=item.published)
        self.login(self.bob)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertContains(r, "badge silent")


HARVEST = shared_data("forums", "harvest-gold")


@pytest.mark.django_db
@needs("forums", "harvest-gold")
def test_it_previews_the_posts_of_a_real_forum_thread(member_client, server: LocalServer):
    # A real phpBB-like thread (FluxBB, bbs.archlinux.org) with hand-checked posts.
    doc = json.loads(
        (HARVEST / "corpus" / "goldDocuments" / "bbs.archlinux.org.viewtopic.php.json").read_text()
    )
    server.route("/viewtopic.php", doc["html"].encode())
    url = reverse("add-forum", args=[member_client.org.code])
    r = member_client.post(url, {"url": server.url("/viewtopic.php"), "action": "preview"})
    body = r.content.decode()
    users = {a["user"]["surface_form"] for a in doc["gold_standard_annotation"]}
    assert all(user in body for user in users), users
    assert not Source.objects.exists()  # a preview saves nothing

    member_client.post(url, {"url": server.url("/viewtopic.php"), "action": "save"})
    assert Source.objects.get().kind == SourceKind.FORUM


class JustFollowedTestCase(BaseTestCase):
    def test_it_does_not_say_read_just_now_and_not_polled_yet_together(self):
        # Another organisation's poll read the source just before this one followed it.
        source = Source.objects.create(
            url="https://blog.example/feed", last_success_at=timezone.now()
        )
        Follow.objects.create(organisation=self.org, source=source)
        self.login(self.bob)
        for url in (
            reverse("sources", args=[self.org.code]),
            reverse("source-detail", args=[self.org.code, source.code]),
        ):
            r = self.client.get(url)
            self.assertNotContains(r, "not polled yet")
            self.assertNotContains(r, "Not polled yet")
            self.assertContains(r, "ot checked since you added it")
