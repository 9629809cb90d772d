"""Smoke test of `manage.py bench poll`: it runs and prints its figures (no timing)."""

import re
from io import StringIO

from django.core.management import call_command

from monitoring.models import Source
from monitoring.net import robots
from reputation.tools import bench_poll
from tests.shared import needs

# Its feeds are built from the items of the shared real feeds.
pytestmark = needs("feeds")


def test_it_runs_the_poll_bench_and_prints_its_figures(transactional_db):
    robots.clear_cache()
    out = StringIO()
    call_command("bench", "poll", "--quick", "--size", "6", "--workers", "2", stdout=out)
    # The bench's rows lived in its own throwaway database, not in this one.
    assert not Source.objects.exists()
    text = out.getvalue()
    lines = text.strip().splitlines()
    for figure in [
        r"parse floor \(feedparser alone, 6 bodies\): [\d.]+ s",
        r"parse floor again: [\d.]+ s; mean of both [\d.]+ s",
        r"one round trip: \d+ ms",
        r"fetch only: [\d.]+ s, \d+ sources/s, 0 failed",
        r"end to end \(2 worker processes, batches of \d+\): [\d.]+ s, \d+ sources/s, "
        r"6 polls, 120 items, \d+ mentions, 0 errors; the workers' CPU time [\d.]+ s",
        r"where the time goes: waiting for fetches [\d.]+ s, parse [\d.]+ s, store items and "
        r"sightings [\d.]+ s, language \(of items that mention a name\) [\d.]+ s",
        r"one process, CPU \(process time, not wall.*\): [\d.]+ ms per source, .* the polling "
        r"thread per source: waiting for fetches [\d.]+ ms, parse [\d.]+ ms, store items and "
        r"sightings [\d.]+ ms, .*store mentions and daily counts [\d.]+ ms",
        r"the machine meanwhile: (\d+% of the cores busy; per source, the workers [\d.]+ ms, "
        r"PostgreSQL's processes [\d.]+ ms, the rest \(feed server, other processes\) [\d.]+ ms"
        r"|not measured \(no /proc\))",
        r"second poll \(conditional requests, one process\): [\d.]+ s, \d+ sources/s, "
        r"6/6 not modified",
    ]:
        assert re.search(figure, text), (figure, text)
    assert re.match(
        r"summary: 6 sources polled end to end in [\d.]+ s .*ratio.* the goal 0\.8; workers' "
        r"CPU [\d.]+ ms per source, (meets|misses) the goal 25 ms",
        lines[-1],
    )
    # 6 feeds of 20 items, all new: the pipeline really stored them.
    assert "120 items" in text


def test_it_builds_unique_feeds_from_real_items():
    import feedparser

    pool = bench_poll.real_items()
    assert len(pool) > 200
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    first, second = (feedparser.parse(bench_poll.feed_body(i, pool, now)) for i in (0, 1))
    assert len(first.entries) == bench_poll.ITEMS_PER_FEED
    assert not first.bozo
    assert {e.id for e in first.entries}.isdisjoint({e.id for e in second.entries})
    assert any(
        name in e.summary for e in first.entries + second.entries for name in bench_poll.TRACKED
    )
