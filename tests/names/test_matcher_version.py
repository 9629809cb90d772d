"""Workers rebuild their matcher whenever matching changes, whoever wrote the change
(issue 8, defect 1), and unfollowing a name's only source never widens the name."""

from unittest import mock

from django.test import TestCase
from django.utils import timezone

from monitoring.models import Item, Source
from reputation.mentions.finding import matchers as finder
from reputation.mentions.models import Mention
from reputation.names.models import MatcherVersion, TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.follow import unfollow_source
from reputation.sources.models import Follow
from tests.base import record_mentions


class MatcherVersionTestCase(TestCase):
    def setUp(self):
        self.org = Organisation.objects.create(slug="a", name="A")
        self.one = Source.objects.create(url="https://one.example/feed")
        self.two = Source.objects.create(url="https://two.example/feed")
        for source in (self.one, self.two):
            Follow.objects.create(organisation=self.org, source=source)
        self.tracked = TrackedName.objects.create(organisation=self.org, label="Maison Rivoire")
        self.tracked.sources.add(self.one)

    def item(self, source, n):
        return Item.objects.create(
            source=source,
            guid_hash=f"{source.pk}-{n}",
            title="Avis",
            text="Maison Rivoire : un accueil chaleureux et du bon pain.",
            published=timezone.now(),
            language="fr",
        )

    def other_worker(self):
        """What another process sees: its own matcher, rechecked after RECHECK_SECONDS."""
        finder.invalidate()
        finder.compiled()
        finder._Cache.checked_at = 0.0  # its recheck delay has passed

    def test_it_moves_the_version_with_every_change_that_affects_matching(self):
        steps = [
            lambda: self.tracked.save(),
            lambda: self.tracked.sources.remove(self.one),
            lambda: self.tracked.sources.add(self.two),
            lambda: TrackedName.sources.through.objects.filter(source=self.two).delete(),
            lambda: TrackedName.objects.filter(pk=self.tracked.pk).update(active=False),
            lambda: self.tracked.delete(),
        ]
        for step in steps:
            before = MatcherVersion.current()
            step()
            self.assertGreater(MatcherVersion.current(), before, steps.index(step))

    def test_it_rebuilds_another_workers_matcher_after_a_bulk_change(self):
        self.other_worker()
        with mock.patch.object(finder, "invalidate"):  # not this process's signal
            TrackedName.objects.filter(pk=self.tracked.pk).update(aliases=["Rivoire"])
        self.assertEqual(finder.compiled().version, MatcherVersion.current())

    def test_it_never_widens_a_name_whose_only_source_is_unfollowed(self):
        unfollow_source(self.org, self.one)
        self.assertEqual(list(self.tracked.sources.all()), [self.one])
        self.other_worker()
        record_mentions(self.two, [self.item(self.two, 1)])
        self.assertFalse(Mention.objects.exists())  # restricted to a source it left
