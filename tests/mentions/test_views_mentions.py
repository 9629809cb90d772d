from django.template import Context, Template
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.models import Mention, Sentiment
from reputation.names.models import TrackedName
from reputation.sources.models import Follow
from tests.base import BaseTestCase


def make_mention(org, n=1, snippet="", highlights=(), **kwargs) -> Mention:
    source, _ = Source.objects.get_or_create(url=f"https://example.org/{org.slug}.xml")
    Follow.objects.get_or_create(organisation=org, source=source)
    tracked, _ = TrackedName.objects.get_or_create(organisation=org, label="Dupont")
    item = Item.objects.create(
        source=source, guid_hash=str(n), title=f"Item {n}", published=timezone.now()
    )
    mention = Mention(
        organisation=org,
        tracked_name=tracked,
        item=item,
        source=source,
        published=item.published,
        snippet=snippet,
        highlights=list(highlights),
        **kwargs,
    )
    mention.set_auto_sentiment(Sentiment.POSITIVE, 0.8, 0.9)
    mention.save()
    return mention


class CorrectionTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.mention = make_mention(self.org)

    def url(self, mention=None):
        mention = mention or self.mention
        return reverse("mention-sentiment", args=[self.org.code, mention.code])

    def test_it_corrects_the_sentiment(self):
        self.login(self.bob)
        r = self.client.post(self.url(), {"sentiment": "negative"})
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.sentiment, Sentiment.NEGATIVE)
        self.assertLess(self.mention.score, 0)
        self.assertEqual(self.mention.corrected_by, self.bob)
        self.assertIsNotNone(self.mention.corrected_at)
        self.assertTrue(self.mention.corrected)
        # The automatic values are kept for comparison.
        self.assertEqual(self.mention.auto_sentiment, Sentiment.POSITIVE)
        self.assertEqual(self.mention.auto_score, 0.8)

    def test_it_survives_rescoring(self):
        self.login(self.bob)
        self.client.post(self.url(), {"sentiment": "negative"})
        mention = Mention.objects.get(pk=self.mention.pk)
        fields = mention.set_auto_sentiment(Sentiment.POSITIVE, 0.95, 0.99)
        mention.save(update_fields=fields)
        mention.refresh_from_db()
        self.assertEqual(mention.sentiment, Sentiment.NEGATIVE)
        self.assertLess(mention.score, 0)
        self.assertEqual(mention.auto_score, 0.95)

    def test_it_survives_the_mentions_being_recorded_again(self):
        # A second poll sighting the same item runs the real pipeline again.
        from tests.base import record_mentions

        item = Item.objects.create(
            source=self.mention.source,
            guid_hash="again",
            title="Dupont est formidable, merci !",
            published=timezone.now(),
            language="fr",
        )
        self.assertEqual(record_mentions(self.mention.source, [item]), 1)
        mention = Mention.objects.get(item=item)
        mention.correct(self.bob, Sentiment.NEGATIVE)
        record_mentions(self.mention.source, [item])
        mention.refresh_from_db()
        self.assertEqual(mention.sentiment, Sentiment.NEGATIVE)
        self.assertTrue(mention.corrected)

    def test_it_returns_to_automatic(self):
        self.mention.correct(self.bob, Sentiment.NEGATIVE)
        self.login(self.bob)
        self.client.post(self.url(), {"sentiment": "auto"})
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.sentiment, Sentiment.POSITIVE)
        self.assertEqual(self.mention.score, 0.8)
        self.assertFalse(self.mention.corrected)

    def test_it_keeps_the_automatic_score_when_the_label_agrees(self):
        self.mention.correct(self.bob, Sentiment.POSITIVE)
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.score, 0.8)
        self.assertTrue(self.mention.corrected)

    def test_it_goes_back_to_the_page_it_came_from(self):
        self.login(self.bob)
        back = reverse("dashboard", args=[self.org.code]) + "?page=2"
        r = self.client.post(self.url(), {"sentiment": "neutral", "next": back})
        self.assertRedirects(r, back, fetch_redirect_response=False)

    def test_it_does_not_redirect_elsewhere(self):
        self.login(self.bob)
        r = self.client.post(self.url(), {"sentiment": "neutral", "next": "https://evil.example/"})
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))

    def test_it_does_not_answer_an_error_for_a_line_break_in_next(self):
        # Before: a header injection Django answered with a 500.
        self.login(self.bob)
        back = reverse("dashboard", args=[self.org.code]) + "\nSet-Cookie: a=b"
        r = self.client.post(self.url(), {"sentiment": "neutral", "next": back})
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))

    def test_it_refuses_unknown_values(self):
        self.login(self.bob)
        self.client.post(self.url(), {"sentiment": "furious"})
        self.mention.refresh_from_db()
        self.assertFalse(self.mention.corrected)

    def test_it_refuses_viewer(self):
        self.login(self.viewer)
        r = self.client.post(self.url(), {"sentiment": "negative"})
        self.assertEqual(r.status_code, 403)
        self.mention.refresh_from_db()
        self.assertEqual(self.mention.sentiment, Sentiment.POSITIVE)

    def test_it_hides_from_outsider(self):
        self.login(self.charlie)
        r = self.client.post(self.url(), {"sentiment": "negative"})
        self.assertEqual(r.status_code, 404)

    def test_it_hides_other_organisations_mentions(self):
        theirs = make_mention(self.other_org, n=2)
        self.login(self.bob)
        r = self.client.post(self.url(theirs), {"sentiment": "negative"})
        self.assertEqual(r.status_code, 404)
        theirs.refresh_from_db()
        self.assertFalse(theirs.corrected)

    def test_it_requires_login_and_post(self):
        r = self.client.post(self.url(), {"sentiment": "negative"})
        self.assertEqual(r.status_code, 302)
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url()).status_code, 405)


class DashboardMentionTestCase(BaseTestCase):
    def test_it_marks_corrected_mentions_and_offers_the_control(self):
        mention = make_mention(self.org)
        mention.correct(self.bob, Sentiment.NEGATIVE)
        self.login(self.bob)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertContains(r, "badge corrected")
        self.assertContains(r, reverse("mention-sentiment", args=[self.org.code, mention.code]))

    def test_it_shows_no_control_to_viewer(self):
        mention = make_mention(self.org)
        self.login(self.viewer)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertNotContains(r, reverse("mention-sentiment", args=[self.org.code, mention.code]))

    def test_it_highlights_escaped_snippets(self):
        snippet = "<script>x</script> chez Dupont & fils"
        start = snippet.index("Dupont")
        make_mention(self.org, snippet=snippet, highlights=[[start, start + 6]])
        self.login(self.bob)
        r = self.client.get(reverse("dashboard", args=[self.org.code]))
        self.assertContains(
            r, "&lt;script&gt;x&lt;/script&gt; chez <mark>Dupont</mark> &amp; fils", html=False
        )
        self.assertNotContains(r, "<script>x", html=False)


class HighlightFilterTestCase(SimpleTestCase):
    def render(self, text, highlights):
        t = Template("{% load snippets %}{{ text|highlight:hl }}")
        return t.render(Context({"text": text, "hl": highlights}))

    def test_it_wraps_highlights_in_mark(self):
        self.assertEqual(
            self.render("Chez Dupont, le pain", [[5, 11]]), "Chez <mark>Dupont</mark>, le pain"
        )

    def test_it_escapes_everything(self):
        text = '<script>alert("Dupont")</script>'
        start = text.index("Dupont")
        out = self.render(text, [[0, 8], [start, start + 6]])
        self.assertNotIn("<script>", out)
        self.assertEqual(
            out,
            "<mark>&lt;script&gt;</mark>alert(&quot;<mark>Dupont</mark>&quot;)&lt;/script&gt;",
        )

    def test_it_uses_offsets_of_the_raw_text(self):
        # Escaping "&" first would shift the offsets by four characters.
        self.assertEqual(self.render("A & B Dupont", [[6, 12]]), "A &amp; B <mark>Dupont</mark>")

    def test_it_merges_overlaps_and_ignores_bad_offsets(self):
        out = self.render("Boulangerie Dupont", [[12, 18], [0, 14], [40, 50], ["x", 2], [5, 5]])
        self.assertEqual(out, "<mark>Boulangerie Dupont</mark>")

    def test_it_merges_touching_highlights_as_the_matcher_does(self):
        # One span rule (monitoring.matching.excerpt.merge_spans) for matches and pages.
        self.assertEqual(self.render("DupontFils", [[6, 10], [0, 6]]), "<mark>DupontFils</mark>")

    def test_it_renders_without_highlights(self):
        self.assertEqual(self.render("a < b", None), "a &lt; b")
        self.assertEqual(self.render(None, [[0, 2]]), "")
