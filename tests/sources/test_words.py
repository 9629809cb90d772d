"""Plain words: relative times, French dates, no jargon on the sources list, and the
"Check now" status that the page follows without a reload."""

from datetime import datetime, timedelta

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import PollLog
from reputation.templatetags.humantime import ago, short_date
from tests.base import BaseTestCase
from tests.inbox_data import source_for


class HumanTimeTestCase(SimpleTestCase):
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.get_current_timezone())

    def test_it_says_just_now_rather_than_zero_minutes(self):
        with translation.override("fr"):
            self.assertEqual(ago(self.now - timedelta(seconds=20), self.now), "à l’instant")
            self.assertEqual(ago(self.now + timedelta(seconds=90), self.now), "à l’instant")
            self.assertEqual(ago(self.now - timedelta(minutes=1), self.now), "il y a 1 minute")
            self.assertEqual(ago(self.now - timedelta(minutes=5), self.now), "il y a 5 minutes")
            self.assertEqual(ago(self.now - timedelta(hours=2), self.now), "il y a 2 heures")
            self.assertEqual(ago(self.now - timedelta(hours=30), self.now), "hier")
            self.assertEqual(ago(self.now - timedelta(days=3), self.now), "il y a 3 jours")
        with translation.override("en"):
            self.assertEqual(ago(self.now - timedelta(seconds=5), self.now), "just now")
            self.assertEqual(ago(self.now - timedelta(hours=1), self.now), "1 hour ago")

    def test_it_abbreviates_months_the_french_way(self):
        with translation.override("fr"):
            self.assertEqual(short_date(self.now), "1 déc. 2026")
            self.assertEqual(short_date(self.now.replace(month=3)), "1 mars 2026")
            self.assertEqual(ago(self.now - timedelta(days=20), self.now), "11 nov. 2026")
        with translation.override("en"):
            self.assertEqual(short_date(self.now), "1 Dec. 2026")


class SourcesWordsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = source_for(self.org)
        self.source.last_status = 200
        self.source.last_success_at = timezone.now()
        self.source.save()

    def test_it_speaks_plainly_on_the_sources_list(self):
        self.login(self.bob)
        with translation.override("fr"):
            r = self.client.get(reverse("sources", args=[self.org.code]), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertNotContains(r, "HTTP")
        self.assertContains(r, "à l’instant")
        self.assertNotContains(r, "0 minute")
        self.assertContains(r, "Vérifier maintenant")

    def test_it_keeps_technical_details_one_click_away(self):
        self.login(self.bob)
        r = self.client.get(reverse("source-detail", args=[self.org.code, self.source.code]))
        self.assertContains(r, "<details><summary>Technical details</summary>", html=False)
        self.assertContains(r, "HTTP status")


class CheckNowTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = source_for(self.org)
        self.url = reverse("source-status", args=[self.org.code, self.source.code])

    def test_it_reports_the_latest_check(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url).json()["checked_at"], "")
        self.source.last_fetch_at = timezone.now()
        self.source.save()
        PollLog.objects.create(source=self.source, items_found=4, items_new=2, mentions_new=1)
        data = self.client.get(self.url).json()
        self.assertEqual(data["checked_at"], self.source.last_fetch_at.isoformat())
        self.assertEqual(data["result"], "Checked: 2 new items, 1 mention of your names.")
        PollLog.objects.create(source=self.source, error="the site did not answer")
        data = self.client.get(self.url).json()
        self.assertEqual(data["result"], "The check failed: the site did not answer")

    def test_it_answers_only_followers(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_leaves_no_message_behind_when_asked_by_script(self):
        self.login(self.bob)
        poll = reverse("source-poll", args=[self.org.code, self.source.code])
        self.client.post(poll, headers={"X-Requested-With": "fetch"})
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertNotContains(r, "within a minute.")
        self.client.post(poll)
        r = self.client.get(reverse("sources", args=[self.org.code]))
        self.assertContains(r, "will be polled within a minute.")


class AddressTestCase(BaseTestCase):
    def test_it_accepts_an_address_without_https(self):
        from reputation.sources.forms import FeedForm

        self.login(self.bob)
        r = self.client.get(reverse("add-feed", args=[self.org.code]))
        self.assertNotContains(r, 'type="url"')
        self.assertContains(r, 'inputmode="url"')
        form = FeedForm({"url": "journal.example/feed"})
        form.is_valid()
        self.assertEqual(form.cleaned_data["url"], "https://journal.example/feed")


class RenameTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        from tests.inbox_data import add_mentions

        self.mention = add_mentions(self.org, 1)[0]
        self.source = self.mention.source
        self.url = reverse("source-rename", args=[self.org.code, self.source.code])

    def test_it_renames_a_source_for_the_organisation_only(self):
        from reputation.sources.models import Follow

        source_for(self.other_org, self.source.url)
        self.login(self.bob)
        r = self.client.post(self.url, {"name": "  Avis   Google "})
        self.assertRedirects(r, reverse("source-detail", args=[self.org.code, self.source.code]))
        self.assertEqual(Follow.objects.get(organisation=self.org).name, "Avis Google")
        self.assertEqual(Follow.objects.get(organisation=self.other_org).name, "")
        for name in ("sources", "inbox"):
            self.assertContains(self.client.get(reverse(name, args=[self.org.code])), "Avis Google")
        r = self.client.get(reverse("mention-detail", args=[self.org.code, self.mention.code]))
        self.assertContains(r, "<dd>Avis Google</dd>", html=True)
        self.login(self.charlie)
        r = self.client.get(reverse("inbox", args=[self.other_org.code]))
        self.assertNotContains(r, "Avis Google")
        # Empty: the source's own title again.
        self.login(self.bob)
        self.client.post(self.url, {"name": ""})
        self.assertEqual(Follow.objects.get(organisation=self.org).name, "")

    def test_it_refuses_renaming_to_viewers_and_outsiders(self):
        self.login(self.viewer)
        self.assertEqual(self.client.post(self.url, {"name": "X"}).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.post(self.url, {"name": "X"}).status_code, 404)
