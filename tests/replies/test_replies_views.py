"""The mention page's draft and answer form, the inbox's badges, the templates page;
each role: viewers read but change nothing (403), outsiders see nothing (404)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reputation.replies.models import Case, ReplySettings, ReplyTemplate
from tests.base import BaseTestCase
from tests.replies_data import said


class ReplyViewsTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.m = said(
            self.org,
            author="Marie L.",
            aspects=["delays"],
            language="fr",
            url="https://avis.example.org/42",
            rating=0.0,
            score=-0.9,
            published=timezone.now() - timedelta(days=2),
        )
        self.detail = reverse("mention-detail", args=[self.org.code, self.m.code])
        self.triage = reverse("mention-triage", args=[self.org.code, self.m.code])
        self.templates = reverse("reply-templates", args=[self.org.code])

    def test_it_shows_the_draft_copy_and_the_original_page(self):
        self.login(self.bob)
        r = self.client.get(self.detail)
        self.assertContains(r, 'id="reply-draft"')
        self.assertContains(r, "Bonjour Marie L.,")
        self.assertContains(r, "désolés pour ce délai")
        self.assertContains(r, 'data-copy="reply-draft"')
        self.assertContains(r, "js/replies.js")
        self.assertContains(r, 'href="https://avis.example.org/42" target="_blank"', count=2)
        self.assertContains(r, "reply-overdue")
        self.assertContains(r, "Mark as answered")

    def test_it_shows_due_and_overdue_in_the_inbox(self):
        said(self.org, sentiment="positive", score=0.5, rating=1.0, published=timezone.now())
        said(self.org, sentiment="positive", score=0.5, published=timezone.now())
        self.login(self.bob)
        r = self.client.get(reverse("inbox", args=[self.org.code]))
        self.assertContains(r, 'class="badge reply-overdue"', count=1)
        self.assertContains(r, 'class="badge reply-due"', count=1)

    def test_it_marks_answered_with_who_when_and_where(self):
        self.login(self.bob)
        r = self.client.post(
            self.triage,
            {"status": "answered", "reply_url": "https://avis.example.org/42#r", "next": ""},
        )
        self.assertEqual(r.status_code, 302)
        self.m.refresh_from_db()
        self.assertEqual(self.m.answered_by, self.bob)
        self.assertIsNotNone(self.m.answered_at)
        r = self.client.get(self.detail)
        self.assertContains(r, "Answered on")
        self.assertContains(r, "bob@example.org")
        self.assertNotContains(r, "Mark as answered")

    def test_it_forbids_viewers_to_answer_or_edit_and_hides_all_from_outsiders(self):
        self.login(self.viewer)
        r = self.client.get(self.detail)
        self.assertContains(r, 'id="reply-draft"')  # they may read and copy it
        self.assertNotContains(r, "Mark as answered")
        self.assertEqual(self.client.post(self.triage, {"status": "answered"}).status_code, 403)
        self.m.refresh_from_db()
        self.assertIsNone(self.m.answered_at)
        self.assertEqual(self.client.get(self.templates).status_code, 200)
        body = {"case": "price", "language": "fr", "body": "Merci"}
        self.assertEqual(self.client.post(self.templates, body).status_code, 403)
        self.assertFalse(ReplyTemplate.objects.exists())

        self.login(self.charlie)
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        self.assertEqual(self.client.get(self.templates).status_code, 404)
        self.assertEqual(self.client.post(self.templates, body).status_code, 404)

    def test_it_edits_templates_and_settings_per_organisation(self):
        self.login(self.bob)
        body = "Merci {author} pour votre retour sur {aspect}.\n{signature}"
        r = self.client.post(self.templates, {"case": "delays", "language": "fr", "body": body})
        self.assertEqual(r.status_code, 302)
        r = self.client.post(
            self.templates,
            {
                "form": "settings",
                "signature": "Marc, gérant",
                "contact_email": "contact@dupont.example",
                "contact_phone": "04 78 00 00 00",
                "review_days": "5",
                "severe_hours": "12",
                "severe_from": "60",
            },
        )
        self.assertEqual(r.status_code, 302)
        settings = ReplySettings.of(self.org)
        self.assertEqual((settings.review_days, settings.severe_hours), (5, 12))
        r = self.client.get(self.detail)
        self.assertContains(r, "Merci Marie L. pour votre retour sur délais.\nMarc, gérant")
        # Charlie's organisation is untouched.
        self.assertFalse(ReplyTemplate.objects.filter(organisation=self.other_org).exists())
        # Back to the default text.
        self.client.post(
            self.templates, {"case": "delays", "language": "fr", "body": body, "reset": "1"}
        )
        self.assertFalse(ReplyTemplate.objects.filter(case=Case.DELAYS).exists())

    def test_it_refuses_bad_settings_with_a_sentence(self):
        self.login(self.alice)
        r = self.client.post(
            self.templates,
            {"form": "settings", "contact_phone": "<script>", "review_days": "0",
             "severe_hours": "24", "severe_from": "50"},
        )  # fmt: skip
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "A phone number has digits")
        self.assertContains(r, "Choose between 1 and 90 days.")
        self.assertFalse(ReplySettings.objects.exists())
