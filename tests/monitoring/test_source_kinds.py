"""One registry says what a kind of source means (monitoring/sources/kinds.py):
every kind has its row, and the alerts' severity and the inbox's priority weigh a
source the same."""

from itertools import combinations

from monitoring.models import SourceKind
from monitoring.sources import kinds
from reputation.alerts.severity import parts
from reputation.inbox.priority import DAY, SOURCE_DAYS, compute_priority
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase


class SourceKindsTestCase(BaseTestCase):
    def test_it_describes_every_kind(self):
        self.assertEqual(set(kinds.KINDS), set(SourceKind.values))
        self.assertTrue(kinds.keep_fragment(SourceKind.FORUM))
        self.assertFalse(kinds.keep_fragment(SourceKind.FEED))
        self.assertTrue(kinds.follows_links(SourceKind.HTML))
        self.assertEqual(kinds.content_type(SourceKind.SEARCH), "application/rss+xml")

    def test_it_weighs_sources_alike_in_severity_and_priority(self):
        name = tracked(self.org)
        weights = {}
        for kind in SourceKind.values:
            m = mention(self.org, followed_source(self.org, kind=kind), name)
            # Same status, tone and review flag: only the source moves the priority.
            shift = compute_priority(m) - int(m.published.timestamp())
            weights[kind] = (parts(m, 0, m.published)["source"], shift)
            self.assertEqual(weights[kind][0], kinds.weight(kind))
        for a, b in combinations(weights, 2):
            (sev_a, pri_a), (sev_b, pri_b) = weights[a], weights[b]
            # The same order, and the same ratio: one table.
            self.assertEqual(
                (sev_a > sev_b, sev_a == sev_b), (pri_a > pri_b, pri_a == pri_b), (a, b)
            )
        rated = mention(self.org, followed_source(self.org), name, rating=5)
        self.assertEqual(parts(rated, 0, rated.published)["source"], kinds.REVIEW_WEIGHT)
        self.assertEqual(rated.source_weight * SOURCE_DAYS * DAY, SOURCE_DAYS * DAY)
