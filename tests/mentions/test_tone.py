"""An organisation's tone adapter (reputation/mentions/tone.py): learnt from its own
labels, read by the workers, learnt again when an older version made it."""

import json

from django.test import override_settings

from monitoring.sentiment import adapt
from reputation.mentions import tone
from reputation.mentions.models import Sentiment, ToneAdapter
from tests.base import BaseTestCase
from tests.mentions.test_views_mentions import make_mention


class ToneAdapterTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        for n, text in enumerate(["Chez Dupont la baguette est bien cuite.", "Dupont : ras"]):
            make_mention(self.org, n=n, snippet=text).correct(self.alice, Sentiment.NEGATIVE)

    def test_it_learns_from_the_organisations_corrections(self):
        row = tone.rebuild(self.org)
        self.assertEqual(row.examples, 2)
        self.assertIn(self.org.pk, tone.adapters_for([self.org.pk, self.other_org.pk]))
        self.assertNotIn(self.other_org.pk, tone.adapters_for([self.other_org.pk]))

    @override_settings(CELERY_TASK_ALWAYS_EAGER=True)
    def test_it_learns_again_an_adapter_an_older_version_made(self):
        from reputation.celery import app

        app.conf.task_always_eager = True
        self.addCleanup(setattr, app.conf, "task_always_eager", False)
        row = tone.rebuild(self.org)
        data = json.loads(row.data)
        del data["format"]  # as stored before the review model
        ToneAdapter.objects.filter(pk=row.pk).update(data=json.dumps(data))
        tone._cache.clear()
        tone._relearning.pop(self.org.pk, None)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(tone.adapters_for([self.org.pk]), {})  # not applied
        self.assertEqual(json.loads(ToneAdapter.objects.get().data)["format"], adapt.FORMAT)
        self.assertIn(self.org.pk, tone.adapters_for([self.org.pk]))
