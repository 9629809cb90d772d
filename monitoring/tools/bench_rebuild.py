"""What a changed name costs a worker, and what its matchers hold: part of `bench match`.

A worker holds one matcher per organisation (monitoring/matching/groups.py, used by
reputation/mentions/finding/matchers.py) and rebuilds only the matcher of the
organisation whose names changed. With the benchmark's 100,000 names:
- spread over 2,000 organisations (50 names each), as at SaaS scale: building every
  matcher (a worker whose polls met every organisation), the memory they hold
  (estimated by Matcher.footprint, and the process's resident memory), and the
  rebuild when one name of one organisation changes (time, tracemalloc peak);
- held by one organisation, the worst case (product limits such as
  ORG_MAX_PATTERNS keep real ones far smaller): the same rebuild of 100,000 names;
- the same worker with a memory cap (MATCHER_CACHE_MB): what it holds stays under
  the cap, at the price of rebuilding matchers it had forgotten.
Times are CPU seconds of this process; memory from tracemalloc (what Python
allocates, the automaton's nodes included) for the small rebuild, /proc (resident
set, Linux) for the rest: tracemalloc makes building 100,000 names four times slower.
"""

import gc
import random
import statistics
import time
import tracemalloc
from dataclasses import replace

from monitoring.matching.groups import MatcherSet
from monitoring.tools.bench_check import expect

MB = 1_000_000


def run(out, queries, orgs=2_000, quick=False) -> str:
    """Print the figures; return the summary's part."""
    by_org: dict[int, list] = {org: [] for org in range(orgs)}
    for i, query in enumerate(queries):
        by_org[i % orgs].append(query)
    versions = dict.fromkeys(by_org, 0)
    loaded: list[int] = []

    def load(groups):
        loaded.append(len(groups))
        return {g: by_org[g] for g in groups}

    gc.collect()
    before = _rss()
    worker = MatcherSet(load)
    worker.keep(versions)
    start = time.process_time()
    worker.ready(list(by_org))
    build_all = time.process_time() - start
    gc.collect()
    held_rss = _rss() - before
    per_org = len(queries) // orgs
    all_bytes = worker.held_bytes
    out(
        f"rebuild: {len(queries):,} names over {orgs:,} organisations ({per_org} each):"
        f" all matchers built in {build_all:.2f}s; a worker holding them all holds"
        f" {worker.held_bytes / MB:,.0f} MB (estimated), resident memory"
        f" +{held_rss / MB:,.0f} MB"
    )

    rng = random.Random(7)
    times = []
    for round_ in range(5 if quick else 30):
        org = rng.randrange(orgs)
        _change(by_org, versions, org, round_)
        start = time.process_time()
        worker.keep(versions)
        worker.ready([org])
        times.append(time.process_time() - start)
        expect(loaded[-1] == 1, "rebuild: a change rebuilt more than its organisation")
    expect(len(worker.groups()) == orgs, "rebuild: a change dropped other organisations")
    org = rng.randrange(orgs)
    changed = _change(by_org, versions, org, "traced")
    traced = _traced(lambda: (worker.keep(versions), worker.ready([org])))
    _check(worker, org, changed)
    one = statistics.median(times)
    out(
        f"rebuild one organisation ({per_org} names) after one name changed:"
        f" {one * 1000:.1f} ms (median of {len(times)}), tracemalloc peak"
        f" {traced / MB:.2f} MB; the other {orgs - 1:,} matchers kept"
    )
    worker = None  # its memory back before the next measure
    gc.collect()

    # The worst case: every name in one organisation's automaton.
    everything = {0: [q for org in by_org.values() for q in org]}
    alone = MatcherSet(lambda groups: {0: everything[0]})
    alone.keep({0: 0})
    alone.ready([0])
    footprint = alone.held_bytes
    changed = _change(everything, {0: 0}, 0, "worst")
    alone.keep({0: 1})
    start = time.process_time()
    # No tracemalloc here: it makes building 100,000 names four times slower.
    grown = _peak_rss_growth(lambda: alone.ready([0]))
    worst = time.process_time() - start
    _check(alone, 0, changed)
    out(
        f"rebuild one organisation holding all {len(queries):,} names: {worst:.2f}s,"
        f" resident peak +{grown / MB:,.0f} MB (its matcher: {footprint / MB:,.0f} MB"
        " estimated)"
    )
    alone = None
    gc.collect()

    # A worker with a cap, reading items for a few organisations at a time.
    cap = all_bytes // 4
    capped = MatcherSet(load, max_bytes=cap)
    capped.keep(versions)
    highest, polls = 0, 100 if quick else 500
    loaded.clear()
    for _ in range(polls):
        wanted = rng.sample(range(orgs), 5)
        ready = capped.ready(wanted)
        expect(len(ready) == len(wanted), "rebuild: a capped worker lost a matcher it reads with")
        highest = max(highest, capped.held_bytes)
    expect(highest <= cap, f"rebuild: held {highest:,} bytes over a cap of {cap:,}")
    built = sum(loaded)
    out(
        f"rebuild with a cap of {cap / MB:,.0f} MB (a quarter of all {all_bytes / MB:,.0f} MB):"
        f" held at most {highest / MB:,.0f} MB over {polls:,} polls of 5 random organisations,"
        f" {capped.evicted:,} matchers forgotten and {built:,} built"
        f" ({built / polls:.1f} per poll, ~{built / polls * one * 1000:.0f} ms)"
    )
    return (
        f"one name changed among {len(queries):,}: {one * 1000:.1f} ms over {orgs:,}"
        f" organisations, {worst:.1f}s in one; all matchers {held_rss / MB:,.0f} MB resident"
    )


def _change(by_org, versions, org, tag) -> object:
    """Rename the first name of `org`'s first query without filters; its version moves."""
    queries = by_org[org]
    i = next(i for i, q in enumerate(queries) if not _filtered(q))
    changed = replace(queries[i], names=[f"Nouveau Nom {tag} {org}", *queries[i].names[1:]])
    queries[i] = changed
    versions[org] += 1
    return changed


def _filtered(query) -> bool:
    return bool(query.context_terms or query.exclude_terms or query.languages or query.source_ids)


def _check(matchers: MatcherSet, org, changed) -> None:
    """The rebuilt matcher finds the new name."""
    text = f"Un avis sur {changed.names[0]} hier."
    found = {m.query_id for m in matchers.find(text, "fr", None, [org])}
    expect(changed.id in found, f"rebuild: {changed.names[0]!r} not found after the change")


def _traced(action) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _rss() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:
        return 0


def _peak_rss_growth(action) -> int:
    """How far the resident set's peak rose above its size before `action` (Linux)."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident set
    except OSError:
        return 0
    before = _rss()
    action()
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))
    return hwm - before
