"""Inbox paging speed: `python manage.py bench inbox [--size N] [--quick]`.

One organisation with N mentions (default 200,000; quick: 5,000) spread over two
years, five at a time on the same instant (ties on `published`), in a throwaway
database. For each order and filter, the time to read one page of 50 as the inbox
does (same query, same joins) at the start and deep in the history (90 %), by
keyset and by OFFSET for comparison. The goal: a deep keyset page costs about
what the first one does (ratio near 1), where OFFSET grows with the depth.
"""

import random
import time
from datetime import timedelta

from django.utils import timezone

from monitoring.models import Item, Source
from monitoring.tools.bench_check import expect
from reputation.inbox.filters import filter_mentions
from reputation.inbox.pages import encode, paginate
from reputation.inbox.priority import compute_priority
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.models import Follow
from reputation.tools.bench_poll import throwaway_database

ROUNDS = 5
PAGE = 50


def _populate(count: int, rng: random.Random):
    org = Organisation.objects.create(slug="bench", name="Bench")
    tracked = TrackedName.objects.create(organisation=org, label="Dupont")
    sources = []
    for i, kind in enumerate(("feed", "html", "search", "forum")):
        source = Source.objects.create(url=f"https://bench.example/{i}", kind=kind)
        Follow.objects.create(organisation=org, source=source)
        sources.append(source)
    now = timezone.now().replace(microsecond=0)
    words = "pain accueil prix service croissant attente propre sale cher délicieux".split()
    for start in range(0, count, 5000):
        n = min(5000, count - start)
        items = Item.objects.bulk_create(
            Item(
                source=sources[(start + i) % 4],
                guid_hash=str(start + i),
                title=f"Story {start + i}",
                published=now - timedelta(minutes=((start + i) // 5) * 20),
            )
            for i in range(n)
        )
        mentions = []
        for item in items:
            m = Mention(
                organisation=org,
                tracked_name=tracked,
                item=item,
                source=item.source,
                url=item.url,
                published=item.published,
                snippet="Dupont " + " ".join(rng.choices(words, k=12)),
                sentiment=rng.choice(["negative", "neutral", "neutral", "positive"]),
                status=rng.choice(["new", "new", "todo", "handled", "answered", "ignored"]),
                language=rng.choice(["fr", "fr", "en"]),
            )
            m.priority = compute_priority(m)
            mentions.append(m)
        Mention.objects.bulk_create(mentions)
    return org


def _best(fn) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - started)
        assert len(rows) == PAGE, len(rows)
    return min(times) * 1000


def run(out, size=None, quick=False, **_options):
    from django.db import connection

    count = size or (5_000 if quick else 200_000)
    cases = [
        ("recent", {}),
        ("priority", {"sort": "priority"}),
        ("negative", {"sentiment": ["negative"]}),
        ("open, priority", {"status": ["new", "todo"], "sort": "priority"}),
    ]
    with throwaway_database():
        started = time.perf_counter()
        org = _populate(count, random.Random(20261201))
        # Fresh statistics, as autovacuum keeps them on a live database: without them
        # PostgreSQL plans a bulk-loaded table blindly (a first page took 0.6 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out(f"inbox: {count:,} mentions created in {time.perf_counter() - started:.1f} s")
        worst = 0.0
        for name, data in cases:
            qs = (
                filter_mentions(org, data)
                .select_related("tracked_name", "source", "assigned_to")
                .defer("source__config")
            )
            total = qs.count()
            depth = max(1, min(int(total * 0.9), total - PAGE))
            field = "priority" if data.get("sort") == "priority" else "published"
            before = qs[depth - 1 : depth][0]
            cursor = encode(before, field)
            first = _best(lambda qs=qs: paginate(qs, "", PAGE).rows)
            deep = _best(lambda qs=qs, c=cursor: paginate(qs, c, PAGE).rows)
            offset = _best(lambda qs=qs, d=depth: list(qs[d : d + PAGE]))
            # What was timed must be the page meant: full pages, and the keyset page
            # deep down the very rows OFFSET gives.
            keyset_ids = [m.pk for m in paginate(qs, cursor, PAGE).rows]
            expect(
                len(paginate(qs, "", PAGE).rows) == min(PAGE, total),
                f"inbox {name}: the first page does not hold {min(PAGE, total)} mentions",
            )
            expect(
                keyset_ids == [m.pk for m in qs[depth : depth + PAGE]],
                f"inbox {name}: the keyset page at {depth} differs from OFFSET's",
            )
            worst = max(worst, deep / first)
            out(
                f"inbox {name:15} {total:>9,} rows: first page {first:7.2f} ms, "
                f"keyset at {depth:,} {deep:7.2f} ms (x{deep / first:.2f}), "
                f"OFFSET {offset:8.2f} ms (x{offset / first:.1f})"
            )
    out(f"summary: a keyset page deep in {count:,} mentions costs x{worst:.2f} the first page")
