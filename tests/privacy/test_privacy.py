"""Retention, erasure and unreferenced items: what goes leaves no trace in mentions,
the inbox, its search, the CSV export or the monthly report, while the dashboard's
counts without names stay; an erased author never comes back for that organisation."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from monitoring.models import Item, Sighting, Source
from monitoring.pipeline import poll
from reputation.api.models import ApiKey, scopes_for
from reputation.celery import app as celery_app
from reputation.dashboard.models import DailyAuthor, DailyCount, DailySource
from reputation.mentions import history
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.privacy import cleanup, erasure, retention, tasks
from reputation.privacy.models import AuditEvent, ErasedAuthor, PrivacySettings
from reputation.sources.follow import follow_source
from reputation.sources.models import Follow
from tests.base import BaseTestCase, record_mentions
from tests.httpserver import LocalServer
from tests.monitoring.test_poll import RSS

TEXT = "Accueil désagréable chez Maison Rivoire, baguette {word} rassise. Très déçu."


class PrivacyTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source = Source.objects.create(url="https://avis.example/feed")
        Follow.objects.create(organisation=self.org, source=self.source)
        self.tracked = TrackedName.objects.create(organisation=self.org, label="Maison Rivoire")

    def item(self, word, author, days_ago=0, source=None, url=""):
        source = source or self.source
        return Item.objects.create(
            source=source,
            guid_hash=f"{word}-{source.pk}",
            url=url or f"https://avis.example/{word}",
            title=f"Avis {word}",
            text=TEXT.format(word=word),
            author=author,
            language="fr",
            published=timezone.now() - timedelta(days=days_ago),
        )

    def record(self, *items, source=None):
        return record_mentions(source or self.source, list(items))

    def counts(self, org=None):
        total = DailyCount.objects.filter(organisation=org or self.org).aggregate(n=Sum("count"))
        return total["n"] or 0

    def traces(self, word, author):
        """Where a mention could still show: the inbox (and its search), the CSV
        export, the monthly report of its month, and the API (list and search)."""
        self.login(self.alice)
        membership = Membership.objects.get(user=self.alice, organisation=self.org)
        _key, token = ApiKey.issue(membership, "privacy", sorted(scopes_for(membership.role)))
        api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        pages = [
            self.client.get(f"/org/{self.org.code}/mentions/"),
            self.client.get(f"/org/{self.org.code}/mentions/", {"q": word}),
            self.client.get(f"/org/{self.org.code}/export.csv"),
        ]
        month = (timezone.now() - timedelta(days=60)).strftime("%Y-%m")
        pages.append(self.client.get(f"/org/{self.org.code}/report/", {"month": month}))
        pages.append(self.client.get("/api/v1/mentions/", {"period": "all"}, **api))
        pages.append(self.client.get("/api/v1/mentions/", {"q": word}, **api))
        found = []
        for page in pages:
            self.assertEqual(page.status_code, 200)
            body = b"".join(page.streaming_content) if page.streaming else page.content
            body = body.decode()
            # The title, not the bare word: the search box repeats what was searched.
            found.append(f"Avis {word}" in body or author in body)
        return found


class RetentionTestCase(PrivacyTestCase):
    def test_it_defaults_to_thirteen_months(self):
        self.assertEqual(PrivacySettings.months_of(self.org), 13)

    def test_it_purges_old_mentions_everywhere_but_keeps_the_counts(self):
        self.record(
            self.item("vieillotte", "Gérard Ancien", days_ago=60),
            self.item("fraiche", "Nina Récente", days_ago=1),
        )
        self.assertEqual(Mention.objects.filter(organisation=self.org).count(), 2)
        self.assertEqual(self.traces("vieillotte", "Gérard Ancien"), [True] * 6)
        before = self.counts()
        self.assertEqual(before, 2)
        self.assertEqual(DailyAuthor.objects.filter(organisation=self.org).count(), 2)

        PrivacySettings.objects.create(organisation=self.org, retention_months=1)
        self.assertEqual(retention.purge_organisation(self.org), 1)

        self.assertEqual(list(Mention.objects.values_list("author", flat=True)), ["Nina Récente"])
        self.assertEqual(self.traces("vieillotte", "Gérard Ancien"), [False] * 6)
        # The dashboard still counts it, with no name attached.
        self.assertEqual(self.counts(), before)
        self.assertEqual(DailySource.objects.aggregate(n=Sum("count"))["n"], 2)
        self.assertEqual(
            list(DailyAuthor.objects.values_list("author", flat=True)), ["Nina Récente"]
        )

    def test_it_purges_every_organisation_by_its_own_retention(self):
        Follow.objects.create(organisation=self.other_org, source=self.source)
        TrackedName.objects.create(organisation=self.other_org, label="Maison Rivoire")
        self.record(self.item("partagee", "Paul Partagé", days_ago=60))
        self.assertEqual(Mention.objects.count(), 2)
        PrivacySettings.objects.create(organisation=self.org, retention_months=1)
        result = retention.purge_all()
        self.assertEqual(result["mentions"], 1)
        self.assertEqual(
            list(Mention.objects.values_list("organisation", flat=True)), [self.other_org.pk]
        )
        # The other organisation still references the item: it stays.
        self.assertEqual(Item.objects.count(), 1)

    def test_it_runs_nightly_from_beat(self):
        entry = celery_app.conf.beat_schedule["privacy-retention"]
        self.assertEqual(entry["task"], tasks.purge_retention.name)
        self.record(self.item("nocturne", "Nuit", days_ago=60))
        PrivacySettings.objects.create(organisation=self.org, retention_months=1)
        self.assertEqual(tasks.purge_retention(), {"mentions": 1, "items": 1})
        self.assertFalse(Item.objects.exists())

    def test_it_never_records_what_is_already_past_the_retention(self):
        PrivacySettings.objects.create(organisation=self.org, retention_months=1)
        self.assertEqual(self.record(self.item("antique", "Old Timer", days_ago=90)), 0)
        self.assertEqual(self.counts(), 0)


class UnreferencedItemsTestCase(PrivacyTestCase):
    def test_it_deletes_items_nobody_references_and_keeps_shared_ones(self):
        lonely_source = Source.objects.create(url="https://unfollowed.example/feed")
        lonely = self.item("seule", "X", source=lonely_source)
        Sighting.objects.create(item=lonely, source=lonely_source, guid_hash="seule")
        fresh = self.item("neuve", "Y")  # mentions nobody, but a followed source's: kept
        Sighting.objects.create(item=fresh, source=self.source, guid_hash="neuve")
        ancient = self.item("ancienne", "Z", days_ago=500)  # followed but past any retention
        Sighting.objects.create(item=ancient, source=self.source, guid_hash="ancienne")
        mentioned = self.item("citee", "W", source=lonely_source)
        self.record(mentioned)  # a mention of this org through its source
        self.assertEqual(Mention.objects.filter(item=mentioned).count(), 1)

        deleted = cleanup.delete_unreferenced_items(batch=1)

        self.assertEqual(deleted, 2)
        self.assertEqual(set(Item.objects.values_list("pk", flat=True)), {fresh.pk, mentioned.pk})
        self.assertFalse(Sighting.objects.filter(item_id__in=[lonely.pk, ancient.pk]).exists())

    def test_it_deletes_an_item_once_its_last_mention_is_purged(self):
        Follow.objects.create(organisation=self.other_org, source=self.source)
        TrackedName.objects.create(organisation=self.other_org, label="Maison Rivoire")
        item = self.item("commune", "Ann", days_ago=450)
        PrivacySettings.objects.create(organisation=self.other_org, retention_months=24)
        PrivacySettings.objects.create(organisation=self.org, retention_months=24)
        self.record(item)
        self.assertEqual(Mention.objects.count(), 2)
        PrivacySettings.objects.filter(organisation=self.org).update(retention_months=12)
        retention.purge_all()
        self.assertTrue(Item.objects.filter(pk=item.pk).exists())  # the other org's mention
        PrivacySettings.objects.filter(organisation=self.other_org).update(retention_months=12)
        retention.purge_all()
        self.assertFalse(Item.objects.filter(pk=item.pk).exists())


class ErasureTestCase(PrivacyTestCase):
    def test_it_erases_an_author_everywhere_and_moves_the_counts(self):
        self.record(
            self.item("grincheuse", "Jean  Dupont", days_ago=60),
            self.item("autre", "Nina", days_ago=60),
        )
        self.assertEqual(self.traces("grincheuse", "Jean  Dupont"), [True] * 6)
        rule, count = erasure.erase(self.org, self.alice, name="jean dupont")
        self.assertEqual(count, 1)
        self.assertEqual(self.traces("grincheuse", "Jean  Dupont"), [False] * 6)
        self.assertEqual(self.counts(), 1)  # as if it had never been collected
        self.assertEqual(list(DailyAuthor.objects.values_list("author", flat=True)), ["Nina"])
        event = AuditEvent.objects.get(action="erase")
        self.assertEqual(
            (event.user, event.organisation, event.details["mentions"]), (self.alice, self.org, 1)
        )
        self.assertEqual(rule.organisation, self.org)
        self.assertEqual(event.details["rule"], str(rule.code))
        self.assertNotIn("dupont", str(event.details).lower())

    def test_it_erases_by_profile_address(self):
        self.record(
            self.item("profil", "pseudo42", url="https://forum.example/u/pseudo42/post/1"),
            self.item("voisin", "pseudo420", url="https://forum.example/u/pseudo420/post/1"),
        )
        _, count = erasure.erase(
            self.org, self.alice, profile_url="https://forum.example/u/pseudo42/"
        )
        self.assertEqual(count, 1)
        self.assertEqual(list(Mention.objects.values_list("author", flat=True)), ["pseudo420"])

    def test_it_keeps_an_erased_author_out_of_history_scans(self):
        ErasedAuthor.objects.create(organisation=self.org, name="Jean Dupont")
        for word, author in (("retour", "JEAN DUPONT"), ("permis", "Nina")):
            item = self.item(word, author)
            Sighting.objects.create(item=item, source=self.source, guid_hash=word, author=author)
        scan = history.start(self.org, tracked=self.tracked, run_now=True)
        self.assertEqual(scan.found, 1)
        self.assertEqual(list(Mention.objects.values_list("author", flat=True)), ["Nina"])


class ErasureInPollTestCase(PrivacyTestCase):
    """A real feed polled over HTTP: the erased author stays out for this organisation
    and only for it."""

    def setUp(self):
        super().setUp()
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        TrackedName.objects.create(organisation=self.other_org, label="Maison Rivoire")

    def feed(self, *entries):
        rows = "".join(
            f"<item><title>Avis {guid}</title><link>https://avis.example/{guid}</link>"
            f"<guid>{guid}</guid><author>{author}</author>"
            f"<pubDate>{timezone.now():%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
            f"<description>{TEXT.format(word=guid)}</description></item>"
            for guid, author in entries
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
            f"<link>https://avis.example/</link>{rows}</channel></rss>"
        ).encode()
        self.server.route("/avis.xml", body, headers=RSS)
        return self.server.url("/avis.xml")

    def test_it_does_not_bring_an_erased_author_back_for_that_org_only(self):
        url = self.feed(("g1", "jean@example.org (Jean Dupont)"))
        source, _ = follow_source(self.org, url)
        follow_source(self.other_org, url)
        poll.poll_now([source])
        authors = list(
            Mention.objects.filter(organisation=self.org).values_list("author", flat=True)
        )
        self.assertEqual(len(authors), 1)
        erasure.erase(self.org, self.alice, name=authors[0])
        self.assertFalse(Mention.objects.filter(organisation=self.org).exists())

        self.feed(
            ("g1", "jean@example.org (Jean Dupont)"), ("g2", "jean@example.org (Jean Dupont)")
        )
        Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
        poll.poll_now([Source.objects.get(pk=source.pk)])

        self.assertFalse(Mention.objects.filter(organisation=self.org).exists())
        self.assertEqual(Mention.objects.filter(organisation=self.other_org).count(), 2)
