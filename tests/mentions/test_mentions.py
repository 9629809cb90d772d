"""From items to mentions: the matcher is built once for every organisation's names,
mentions keep their snippet, tone (stars first), and whether they may alert."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.models import Follow
from tests.base import record_mentions


class MentionsTestCase(TestCase):
    def setUp(self):
        self.org = Organisation.objects.create(slug="a", name="A")
        self.other = Organisation.objects.create(slug="b", name="B")
        self.source = Source.objects.create(url="https://avis.example/")
        Follow.objects.create(organisation=self.org, source=self.source)
        self.tracked = TrackedName.objects.create(organisation=self.org, label="Maison Rivoire")
        TrackedName.objects.create(organisation=self.other, label="Maison Rivoire")

    def item(self, title, text, **kw):
        defaults = {"published": timezone.now(), "language": "fr"}
        defaults.update(kw)
        return Item.objects.create(
            source=self.source, guid_hash=title[:40], title=title, text=text, **defaults
        )

    def test_it_does_not_repeat_a_title_that_opens_the_text(self):
        item = self.item("Maison Rivoire ouvre", "Maison Rivoire ouvre une boutique à Lyon.")
        self.assertEqual(item.document(), "Maison Rivoire ouvre une boutique à Lyon.")
        item = self.item("Nouvelle boutique", "Maison Rivoire ouvre à Lyon.")
        self.assertEqual(item.document(), "Nouvelle boutique\nMaison Rivoire ouvre à Lyon.")

    def test_it_records_a_mention_with_snippet_highlight_and_tone(self):
        item = self.item("Avis", "Accueil désagréable chez Maison Rivoire, pain rassis. Très déçu.")
        self.assertEqual(record_mentions(self.source, [item]), 1)
        m = Mention.objects.get()
        self.assertEqual(m.organisation, self.org)  # the other org does not follow the source
        start, end = m.highlights[0]
        self.assertEqual(m.snippet[start:end], "Maison Rivoire")
        self.assertEqual(m.sentiment, "negative")
        self.assertEqual(m.auto_sentiment, "negative")
        self.assertLess(m.score, 0)
        self.assertEqual(record_mentions(self.source, [item]), 0)

    def test_it_does_not_read_the_tracked_name_as_praise(self):
        TrackedName.objects.create(organisation=self.org, label="Au Bon Pain")
        item = self.item("Info", "Au Bon Pain ouvre une boutique rue Garibaldi le 3 mars.")
        record_mentions(self.source, [item])
        self.assertEqual(Mention.objects.get().sentiment, "neutral")

    def test_it_scores_the_mention_not_the_shared_item(self):
        quiet = self.item("Météo", "Il pleuvra demain sur Lyon, hélas.")
        loud = self.item("Avis", "Maison Rivoire : accueil odieux, pain rassis.")
        record_mentions(self.source, [quiet, loud])
        mention = Mention.objects.get()  # the quiet one mentions nobody
        self.assertEqual((mention.item, mention.sentiment), (loud, "negative"))
        self.assertLess(mention.score, 0)
        # The shared item carries no tone of its own for anybody to read.
        self.assertFalse(hasattr(loud, "sentiment"))

    def test_it_takes_the_stars_of_a_review_as_its_tone(self):
        item = self.item("Avis", "Maison Rivoire, je recommande vivement !")
        record_mentions(self.source, [item], rating=0.2)
        self.assertEqual(Mention.objects.get().sentiment, "negative")
        self.assertEqual(Mention.objects.get().rating, 0.2)

    def test_it_rebuilds_the_matcher_when_a_name_changes(self):
        item = self.item("Brève", "Le Fournil du Parc agrandit sa terrasse.")
        self.assertEqual(record_mentions(self.source, [item]), 0)
        self.tracked.aliases = ["Fournil du Parc"]
        self.tracked.save()
        self.assertEqual(record_mentions(self.source, [item]), 1)

    def test_it_lets_only_news_alert(self):
        follow = Follow.objects.get()
        follow.created = timezone.now() - timedelta(days=1)
        follow.save()
        old = self.item(
            "Ancien", "Maison Rivoire, souvenir.", published=follow.created - timedelta(days=3)
        )
        new = self.item("Récent", "Maison Rivoire, nouveauté.", published=timezone.now())
        undated_first = self.item("Sans date", "Maison Rivoire sans date.", published_known=False)
        record_mentions(self.source, [old, new, undated_first])
        alertable = dict(Mention.objects.values_list("title", "alertable"))
        # An undated item seen on the very first poll of the source may be old.
        self.assertEqual(alertable, {"Ancien": False, "Récent": True, "Sans date": False})

        self.source.last_success_at = timezone.now()
        self.source.save()
        undated_later = self.item(
            "Plus tard", "Maison Rivoire, sans date non plus.", published_known=False
        )
        record_mentions(self.source, [undated_later])
        self.assertTrue(Mention.objects.get(item=undated_later).alertable)

    def test_it_detects_the_language_only_of_items_that_mention_a_name(self):
        quiet = self.item("Météo", "Il pleuvra demain sur la ville, hélas, toute la journée.")
        loud = self.item("Avis", "Maison Rivoire : un accueil odieux et du pain rassis, hélas.")
        Item.objects.filter(pk__in=[quiet.pk, loud.pk]).update(language="")
        quiet.language = loud.language = ""
        loud.declared_language = "en"  # a feed may declare a language the text belies
        record_mentions(self.source, [quiet, loud])
        quiet.refresh_from_db()
        loud.refresh_from_db()
        self.assertEqual(quiet.language, "")  # mentions nobody: not worth detecting
        self.assertEqual(loud.language, "fr")
        self.assertEqual(Mention.objects.get().language, "fr")

    def test_it_detects_the_language_for_a_language_filter(self):
        self.tracked.languages = ["en"]
        self.tracked.save()
        french = self.item("Avis", "Maison Rivoire : un accueil odieux et du pain rassis, hélas.")
        english = self.item("Review", "Maison Rivoire: the bread was stale and the staff rude.")
        Item.objects.filter(pk__in=[french.pk, english.pk]).update(language="")
        french.language = english.language = ""
        self.assertEqual(record_mentions(self.source, [french, english]), 1)
        self.assertEqual(Mention.objects.get().item, english)
        french.refresh_from_db()
        self.assertEqual(french.language, "fr")  # detected for the filter, kept
