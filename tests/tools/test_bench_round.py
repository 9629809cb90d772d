"""Smoke test of `manage.py bench round`: real Celery workers poll three rounds and
the bench prints its figures (no timing)."""

import re
from datetime import UTC, datetime
from io import StringIO

import feedparser
import pytest
from django.core.management import call_command

from monitoring.models import Source
from reputation.tools import bench_round
from reputation.tools.feed_bodies import feed_body
from tests.shared import needs

# Its feeds are built from the items of the shared real feeds.
pytestmark = needs("feeds")


@pytest.mark.slow
def test_it_runs_three_rounds_with_a_celery_worker_and_prints_its_figures(transactional_db):
    out = StringIO()
    call_command("bench", "round", "--quick", "--size", "20", stdout=out)
    # The bench's rows lived in its own throwaway database, not in this one.
    assert not Source.objects.exists()
    text = out.getvalue()
    rounds = re.findall(
        r"round (\d): [\d.]+ s, 20/20 polls \(0 doubled, 20 feeds asked for, at most 1 times "
        r"each\), (\d+) items \(\d+/s\), (\d+) mentions \([\d.]+/s\); workers' CPU \d+ s .*"
        r"peak memory per worker process (\d+) / (\d+) MB",
        text,
    )
    assert [r[0] for r in rounds] == ["1", "2", "3"], text
    # 20 items per feed the first time, then the new ones only.
    assert [int(r[1]) for r in rounds] == [400, 100, 100]
    assert all(int(r[2]) > 0 for r in rounds)
    # Two pool processes, each with Django and the models loaded.
    assert all(int(mb) > 50 for r in rounds for mb in r[3:])
    assert re.match(
        r"summary: 3 rounds of 20 sources with 2 worker processes, slowest \d+ s .* peak "
        r"worker memory round 1 -> 3: \d+ -> \d+ MB",
        text.strip().splitlines()[-1],
    )


def test_it_spreads_names_and_follows_over_the_organisations():
    names = bench_round.tracked_names(5000)
    assert len(set(names)) == 5000
    follows = [bench_round.followers(i, 500) for i in range(10_000)]
    assert {o for f in follows for o in f} == set(range(500))
    assert sum(map(len, follows)) == 12_500


def test_it_publishes_new_items_by_raising_the_newest():
    pool = [
        (f"Titre {n}", f"<p>Un texte assez long pour compter, numéro {n}.</p>") for n in range(50)
    ]
    now = datetime.now(UTC)
    first = feedparser.parse(feed_body(3, pool, now, ["Garage Martin Lyon"], newest=19))
    later = feedparser.parse(feed_body(3, pool, now, ["Garage Martin Lyon"], newest=24))
    new = {e.id for e in later.entries} - {e.id for e in first.entries}
    assert new == {f"source-3-item-{k}" for k in range(20, 25)}
    assert any("Garage Martin Lyon" in e.summary for e in first.entries)
