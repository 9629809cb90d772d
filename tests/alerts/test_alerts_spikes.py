"""Spike detection: Poisson tail against the baseline, on generated series and in the scan."""

import math
import random
from datetime import timedelta

from django.test import SimpleTestCase
from django.utils import timezone

from reputation.alerts import scan, spikes
from reputation.alerts.models import AlertSettings, Notification
from tests.alerts_data import followed_source, mention, tracked
from tests.base import BaseTestCase


def poisson(rng: random.Random, rate: float) -> int:
    # Knuth's method: fine for the small rates of a small business.
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class TailTests(SimpleTestCase):
    def test_it_computes_the_poisson_tail(self):
        self.assertAlmostEqual(spikes.tail_probability(1, 0.5), 1 - math.exp(-0.5))
        self.assertAlmostEqual(spikes.tail_probability(2, 1.0), 1 - 2 * math.exp(-1.0))
        self.assertEqual(spikes.tail_probability(0, 3.0), 1.0)

    def test_it_takes_two_bad_reviews_in_a_day_for_a_crisis_at_a_quiet_bakery(self):
        # One bad mention a month: two in a day are very unusual.
        self.assertTrue(spikes.is_spike(2, baseline_count=1)[0])
        self.assertFalse(spikes.is_spike(1, baseline_count=1)[0])
        # A brand-new organisation: the rate is unknown, two are not enough.
        self.assertFalse(spikes.is_spike(2, baseline_count=0, days=0)[0])
        self.assertTrue(spikes.is_spike(6, baseline_count=0, days=0)[0])

    def test_it_takes_two_a_day_as_normal_for_a_busy_brand(self):
        self.assertFalse(spikes.is_spike(2, baseline_count=56)[0])
        self.assertTrue(spikes.is_spike(9, baseline_count=56)[0])


class SeriesTests(SimpleTestCase):
    """Generated daily counts of negative mentions (fixed seeds: reproducible)."""

    def test_it_does_not_alert_on_normal_variation(self):
        for rate in (0.03, 0.2, 1.0, 5.0):
            quiet_days = 0
            for seed in range(20):
                rng = random.Random(seed)
                series = [poisson(rng, rate) for _ in range(120)]
                # After a month of history (the first days only have the prior).
                quiet_days += not [d for d in spikes.replay(series) if d >= 28]
            # Three months of ordinary days: at most 4 series in 20 have an alarm,
            # under one false alarm a year. (At one a month, those had a day with
            # two bad mentions: what a bakery wants to know.)
            self.assertGreaterEqual(quiet_days, 16, f"rate {rate}")

    def test_it_alerts_once_per_generated_spike(self):
        for rate, burst in ((0.03, 2), (0.2, 4), (1.0, 7), (5.0, 18)):
            rng = random.Random(7)
            series = [poisson(rng, rate) for _ in range(60)]
            # A bad buzz lasting three days, in the middle of a quiet stretch.
            for day in range(60, 63):
                series.append(burst + day - 60)
            series += [0] * 5
            fired = spikes.replay(series)
            self.assertEqual([d for d in fired if d >= 60], [60], f"rate {rate}: {fired}")


class ScanSpikeTests(BaseTestCase):
    def test_it_alerts_once_per_spike_with_what_drove_it(self):
        # An organisation with a quiet month behind it.
        self.org.created = timezone.now() - timedelta(days=60)
        self.org.save()
        source = followed_source(self.org)
        name = tracked(self.org)
        now = timezone.now()
        m = mention(self.org, source, name, created=now)
        m.aspects = ["staff"]
        m.save()
        scan.scan(now=now + timedelta(seconds=61))
        self.assertFalse(AlertSettings.objects.get(organisation=self.org).spike_since)
        for i in range(3):
            mention(self.org, source, name, created=now + timedelta(minutes=5 + i))
        scan.scan(now=now + timedelta(minutes=10))
        alert = Notification.objects.filter(kind="instant").latest("created")
        self.assertEqual(alert.data["spike"]["count"], 4)
        self.assertEqual(alert.data["spike"]["drivers"]["names"], [["Boulangerie Dupont", 4]])
        # More bad mentions within the same spike: alerts, but no second spike.
        mention(self.org, source, name, created=now + timedelta(minutes=20))
        scan.scan(now=now + timedelta(minutes=25))
        spiky = [n for n in Notification.objects.all() if "spike" in n.data or n.kind == "spike"]
        self.assertEqual(len(spiky), 1)
