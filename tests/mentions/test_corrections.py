"""A correction's side effects belong to Mention.correct and its bulk form: the
dashboard's counts move, the journal records it, the priority follows, and the
organisation's tone is learnt again, whether one mention is corrected or many."""

from django.test import override_settings
from django.urls import reverse

from reputation.celery import app
from reputation.dashboard import rollups
from reputation.dashboard.models import DailyCount
from reputation.inbox.models import MentionEvent
from reputation.inbox.priority import compute_priority
from reputation.mentions.models import Mention, ToneAdapter
from tests.base import BaseTestCase
from tests.mentions.test_views_mentions import make_mention


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
class CorrectionsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        app.conf.task_always_eager = True
        self.addCleanup(setattr, app.conf, "task_always_eager", False)
        texts = ["Chez Dupont la baguette est bien cuite.", "Dupont : accueil correct."]
        self.mentions = [make_mention(self.org, n=n, snippet=t) for n, t in enumerate(texts)]
        rollups.rebuild(self.org)
        self.login(self.bob)

    def counts(self) -> dict:
        rows = DailyCount.objects.filter(organisation=self.org)
        return {
            tone: sum(r.count for r in rows if r.sentiment == tone)
            for tone in ("positive", "negative")
        }

    def check_corrected(self):
        self.assertEqual(self.counts(), {"positive": 0, "negative": 2})
        self.assertEqual(MentionEvent.objects.filter(kind="sentiment").count(), 2)
        for m in Mention.objects.filter(pk__in=[m.pk for m in self.mentions]):
            self.assertEqual((m.sentiment, m.priority), ("negative", compute_priority(m)))
        adapter = ToneAdapter.objects.get(organisation=self.org)
        self.assertEqual(adapter.examples, 2)

    def test_it_relearns_and_moves_rollups_after_a_bulk_correction(self):
        url = reverse("inbox-bulk", args=[self.org.code])
        data = {"action": "sentiment:negative", "mentions": [str(m.code) for m in self.mentions]}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, data)
        self.check_corrected()

    def test_it_relearns_and_moves_rollups_after_single_corrections(self):
        with self.captureOnCommitCallbacks(execute=True):
            for m in self.mentions:
                url = reverse("mention-sentiment", args=[self.org.code, m.code])
                self.client.post(url, {"sentiment": "negative"})
        self.check_corrected()

    def test_it_corrects_a_queryset_once_per_mention(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(
                Mention.objects.filter(organisation=self.org).correct(self.bob, "negative"), 2
            )
            # Already so: nothing changes, nothing is journaled twice.
            self.assertEqual(
                Mention.objects.filter(organisation=self.org).correct(self.bob, "negative"), 0
            )
        self.check_corrected()
