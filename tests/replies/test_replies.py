"""Which mentions call for an answer, their drafts, who answered when, deadlines."""

from datetime import timedelta

from django.utils import timezone

from reputation.mentions.models import Mention
from reputation.replies import drafts, figures, rules
from reputation.replies.models import Case, ReplySettings, ReplyTemplate
from tests.base import BaseTestCase
from tests.replies_data import said


class NeedsAnswerTests(BaseTestCase):
    def test_it_asks_an_answer_for_negative_reviews_and_questions_only(self):
        org = self.org
        negative = said(org)
        review = said(org, sentiment="positive", score=0.8, rating=1.0)
        question = said(
            org,
            sentiment="neutral",
            score=0.0,
            snippet="Boulangerie Dupont est-elle ouverte le dimanche ?",
        )
        worded = said(
            org, sentiment="neutral", score=0.0, snippet="Est-ce que Boulangerie Dupont livre"
        )
        story = said(
            org,
            sentiment="neutral",
            score=0.0,
            snippet="Quand je suis passé devant Boulangerie Dupont, il pleuvait.",
        )
        far = said(
            org,
            sentiment="positive",
            score=0.5,
            snippet="Boulangerie Dupont, très bien. " + "x" * 400 + " Et vous, où allez-vous ?",
            highlights=[[0, 18]],
        )
        self.assertTrue(rules.needs_answer(negative))
        self.assertTrue(rules.needs_answer(review))
        self.assertTrue(rules.needs_answer(question))
        self.assertTrue(rules.needs_answer(worded))
        self.assertFalse(rules.needs_answer(story))
        self.assertFalse(rules.needs_answer(far))  # the question is not about the name
        # The database's first filter lets every one of them through.
        passed = set(Mention.objects.filter(rules.MAYBE).values_list("pk", flat=True))
        self.assertTrue({negative.pk, review.pk, question.pk, worded.pk} <= passed)


class DraftTests(BaseTestCase):
    def test_it_picks_the_case_by_aspect(self):
        cases = {
            ("hygiene", "price"): Case.HYGIENE,
            ("reception",): Case.RECEPTION,
            ("staff",): Case.RECEPTION,
            ("price",): Case.PRICE,
            ("delays", "quality"): Case.DELAYS,
            ("quality",): Case.QUALITY,
            ("after_sales",): Case.NEGATIVE,
            (): Case.NEGATIVE,
        }
        for aspects, case in cases.items():
            m = said(self.org, aspects=list(aspects))
            self.assertEqual(drafts.case_of(m), case, aspects)
        positive = said(self.org, sentiment="positive", score=0.8, rating=1.0)
        self.assertEqual(drafts.case_of(positive), Case.POSITIVE)
        question = said(
            self.org, sentiment="neutral", score=0, snippet="Boulangerie Dupont livre-t-il ?"
        )
        self.assertEqual(drafts.case_of(question), Case.QUESTION)

    def test_it_thanks_a_neutral_review_without_calling_it_praise(self):
        # A rated review whose words are neutral ("... propose désormais la livraison")
        # once got "Nous sommes ravis que vous ayez apprécié : délais".
        m = said(self.org, sentiment="neutral", score=0, rating=0.6, aspects=["delays"])
        self.assertEqual(drafts.case_of(m), Case.REVIEW)
        found = drafts.draft(m)
        self.assertEqual(found["case"], Case.REVIEW)
        self.assertIn("avis", found["text"])
        for praise in ("ravis", "apprécié", "glad", "enjoyed"):
            self.assertNotIn(praise, found["text"])

    def test_it_fills_the_author_and_aspect_and_invents_nothing(self):
        m = said(
            self.org,
            author="Marie L.",
            aspects=["reception"],
            language="fr",
            snippet="Boulangerie Dupont : accueil glacial. Mon numéro 06 12 34 56 78, rue X.",
            url="https://avis.example.org/42",
        )
        # Personal data the organisation holds elsewhere must not leak into a draft.
        self.alice.first_name = "Alice"
        self.alice.save()
        text = drafts.draft(m)["text"]
        self.assertTrue(text.startswith("Bonjour Marie L.,"))
        self.assertIn("l'accueil", text)
        self.assertIn("Alice & Co", text)  # the signature: the organisation's name
        for leak in ("06 12 34 56 78", "rue X", "avis.example.org", "alice@", "{"):
            self.assertNotIn(leak, text)
        # No contact in the settings: the line offering one is left out, not emptied.
        self.assertNotIn("contactez", text.lower())
        self.assertNotIn(": .", text)

    def test_it_uses_the_organisations_settings_and_language(self):
        ReplySettings.objects.create(
            organisation=self.org,
            signature="Marc, gérant",
            contact_email="contact@dupont.example",
            contact_phone="04 78 00 00 00",
        )
        m = said(self.org, author="", aspects=["price"], language="en")
        text = drafts.draft(m)["text"]
        self.assertTrue(text.startswith("Hello,"))
        self.assertIn("price", text)
        self.assertIn("contact@dupont.example / 04 78 00 00 00", text)
        self.assertTrue(text.endswith("Marc, gérant"))

    def test_it_uses_the_organisations_own_templates(self):
        ReplyTemplate.objects.create(
            organisation=self.org,
            case=Case.HYGIENE,
            language="fr",
            body="Merci {author}. Sur {aspect} : nous agissons.\n{signature}\n{contact}",
        )
        m = said(self.org, author="<b>Jo</b>", aspects=["hygiene"], language="fr")
        text = drafts.draft(m)["text"]
        self.assertTrue(text.startswith("Merci "))
        self.assertNotIn("<", text)
        self.assertIn("hygiène : nous agissons.", text)
        self.assertTrue(text.endswith("Alice & Co"))
        # Another organisation keeps the shipped text.
        other = said(self.other_org, aspects=["hygiene"], language="fr")
        self.assertNotIn("nous agissons", drafts.draft(other)["text"])


class AnsweredTests(BaseTestCase):
    def test_it_records_who_and_when_through_set_status(self):
        m = said(self.org)
        before = timezone.now()
        self.assertTrue(m.set_status(self.bob, "answered", "https://avis.example.org/r/1"))
        m.refresh_from_db()
        self.assertEqual(m.answered_by, self.bob)
        self.assertGreaterEqual(m.answered_at, before)
        self.assertEqual(m.reply_url, "https://avis.example.org/r/1")
        first = m.answered_at
        # A new address keeps the first answer's time and author.
        m.set_status(self.alice, "answered", "https://avis.example.org/r/2")
        m.refresh_from_db()
        self.assertEqual((m.answered_at, m.answered_by), (first, self.bob))
        m.set_status(self.alice, "todo")
        m.refresh_from_db()
        self.assertIsNone(m.answered_at)
        self.assertIsNone(m.answered_by)


class DeadlineTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.settings = ReplySettings.of(self.org)

    def test_it_gives_a_week_to_reviews_and_a_day_to_severe_negatives(self):
        published = timezone.now() - timedelta(hours=2)
        review = said(self.org, sentiment="positive", score=0.8, rating=1.0, published=published)
        severe = said(self.org, score=-0.9, rating=0.0, published=published)
        mild = said(self.org, score=-0.05, published=published)
        self.assertEqual(rules.deadline(review, self.settings), published + timedelta(days=7))
        self.assertEqual(rules.deadline(severe, self.settings), published + timedelta(hours=24))
        self.assertEqual(rules.deadline(mild, self.settings), published + timedelta(days=7))
        now = timezone.now()
        self.assertEqual(rules.state(severe, self.settings, now), "due")
        self.assertEqual(rules.state(severe, self.settings, now + timedelta(hours=23)), "overdue")
        self.assertEqual(rules.state(review, self.settings, now + timedelta(days=6)), "due")
        self.assertEqual(rules.state(review, self.settings, now + timedelta(days=7)), "overdue")
        severe.set_status(self.bob, "answered")
        self.assertEqual(rules.state(severe, self.settings, now + timedelta(days=9)), "answered")

    def test_it_follows_the_organisations_deadlines_and_first_seen_dates(self):
        self.settings.review_days, self.settings.severe_hours = 3, 4
        self.settings.save()
        seen = timezone.now() - timedelta(hours=1)
        undated = said(
            self.org,
            sentiment="positive",
            score=0.5,
            rating=0.8,
            published=seen - timedelta(days=30),
            published_known=False,
            created=seen,
        )
        severe = said(self.org, score=-0.9, rating=0.0)
        self.assertEqual(rules.deadline(undated, self.settings), seen + timedelta(days=3))
        self.assertEqual(
            rules.deadline(severe, self.settings), severe.published + timedelta(hours=4)
        )


class KeptFiguresTests(BaseTestCase):
    def test_it_keeps_the_figures_until_a_mention_is_triaged(self):
        mention = said(self.org, sentiment="negative", score=-0.8)
        self.assertEqual(figures.recent(self.org)["answered"], 0)
        # Kept: a new mention shows only after KEEP_SECONDS...
        said(self.org, sentiment="negative", score=-0.7)
        self.assertEqual(figures.recent(self.org)["needing"], 1)
        # ...but a person's answer is counted at once, on every page that asks.
        mention.set_status(self.alice, "answered")
        self.assertEqual(figures.recent(self.org)["answered"], 1)
        self.assertEqual(figures.recent(self.org)["needing"], 2)
        today = timezone.now().astimezone(self.org.zone).date()
        days = figures.for_days(self.org, today - timedelta(days=29), today)
        self.assertEqual((days["needing"], days["answered"]), (2, 1))
