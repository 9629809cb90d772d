"""Defects found trying the product as a new user (issue 8): the alert paste form,
the login page's name, the newest publication, the robot's page, French errors,
and fetches made while a person waits."""

import time
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import dateformat, timezone

from monitoring.models import Item, Sighting, Source
from reputation.sources.models import Follow
from tests.base import BaseTestCase
from tests.httpserver import LocalServer

ALERT = "https://www.google.com/alerts/feeds/12345678901234567890/9876543210987654321"


class AlertPasteTestCase(BaseTestCase):
    def post(self, url):
        self.login(self.bob)
        page = reverse("add-search", args=[self.org.code])
        return self.client.post(page, {"form": "url", "url": url})

    def test_it_refuses_an_address_that_is_not_an_alert_feed(self):
        r = self.post("https://www.google.com/alerts")  # the alerts' management page
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "not the RSS address of a Google Alert")
        self.assertFalse(Follow.objects.exists())

    def test_it_follows_a_pasted_alert_feed(self):
        r = self.post(ALERT.replace("https://", "http://"))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Source.objects.get().url, ALERT)


class LoginPageTestCase(BaseTestCase):
    @override_settings(SITE_NAME="Veille Test")
    def test_it_names_the_product_not_the_host(self):
        r = self.client.get(reverse("login"))
        self.assertContains(r, "<title>Log in · Veille Test</title>", html=False)
        self.assertNotContains(r, "testserver")


class NewestPublicationTestCase(BaseTestCase):
    def test_it_shows_when_the_source_last_published_not_when_we_collected(self):
        source = Source.objects.create(url="https://blog.example/feed", title="Blog")
        Follow.objects.create(organisation=self.org, source=source)
        published = timezone.now() - timedelta(days=30)
        item = Item.objects.create(
            source=source, guid_hash="g", title="Vieux billet", published=published
        )
        Sighting.objects.create(item=item, source=source, guid_hash="g", published=published)
        Source.objects.filter(pk=source.pk).update(
            last_item_at=timezone.now(), last_success_at=timezone.now()
        )
        self.login(self.viewer)
        for name, args in (("sources", []), ("source-detail", [source.code])):
            r = self.client.get(reverse(name, args=[self.org.code, *args]))
            shown = dateformat.format(timezone.localtime(published), "c")
            self.assertContains(r, f'datetime="{shown}"')


class AboutBotTestCase(BaseTestCase):
    def test_it_explains_the_robot_at_the_address_of_its_user_agent(self):
        from django.conf import settings

        r = self.client.get(reverse("about-bot"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "robots.txt")
        self.assertContains(r, "Disallow: /")
        self.assertIn("/about/bot/", settings.FETCH_USER_AGENT)


class FrenchErrorsTestCase(BaseTestCase):
    def test_it_explains_a_refused_address_in_french(self):
        self.login(self.bob)
        page = reverse("add-feed", args=[self.org.code])
        r = self.client.post(page, {"url": "ftp://example.org/feed"}, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Seules les adresses http:// et https://")


class RequestBudgetTestCase(BaseTestCase):
    @override_settings(REQUEST_FETCH_BUDGET=1.0)
    def test_it_answers_within_the_budget_when_a_site_is_slow(self):
        server = LocalServer()
        server.start()
        self.addCleanup(server.stop)

        def slow(request):
            time.sleep(4)
            return 200, {"Content-Type": "text/html"}, b"<html></html>"

        server.route("/", handler=slow)
        self.login(self.bob)
        started = time.monotonic()
        r = self.client.post(reverse("add-website", args=[self.org.code]), {"url": server.url()})
        self.assertLess(time.monotonic() - started, 3.5)
        self.assertContains(r, "took too long")
