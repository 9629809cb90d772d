"""Matching and scoring throughput: `python manage.py bench match`.

Matching: items per second with 10, 1,000, 10,000 and 100,000 tracked names over the
same items (100,000; quick: 5,000); the goals are that 10,000 names cost at most
twice as much per item as 10, and 100,000 names (a SaaS's customers together) at
most 2.5 times, since one automaton holds them all. Items are real texts from
../shared/data (French tweets and Allociné reviews, English feed items) with
company, shop, brand and person names inserted in the ways people write them
(monitoring/tools/bench_names.py). What was timed is checked (`check_matches`):
every name inserted that its query must find is found, every match is one of its
query's names where its filters allow, and each smaller matcher finds exactly what
the largest finds among its names.

Then the cost of a change (monitoring/tools/bench_rebuild.py): rebuilding the
automaton when one name changes among 100,000, spread over 2,000 organisations or
held by one, and the memory of a worker holding every organisation's matcher.

Scoring: texts per second of monitoring.sentiment.detect_language + score_text on
French and English texts.
"""

import random
import re
import time
from functools import lru_cache

from monitoring.matching.folding import fold
from monitoring.matching.matcher import Matcher, parse_term
from monitoring.sentiment import detect_language, score_text, score_toward
from monitoring.sentiment.model import text_features
from monitoring.tools import bench_rebuild
from monitoring.tools.bench_check import expect
from monitoring.tools.bench_names import make_items, make_queries, names
from monitoring.tools.shared_data import shared_data

SHARED = shared_data()
SIZES = (10, 1_000, 10_000, 100_000)
GOALS = {10_000: 2.0, 100_000: 2.5}  # time per item against 10 names, at most
ROUNDS = 3


def run(out, size=None, quick=False):
    rng = random.Random(20261128)
    count = size or (5_000 if quick else 100_000)
    french, english = french_texts(), english_texts(300 if quick else 2_000)
    pool = names(max(SIZES), rng)
    # One list of queries, sliced: the 1,000 names are the first 1,000 of the 100,000.
    queries = make_queries(pool, rng)
    inserted: list = []
    items = make_items(count, french, english, pool, rng, inserted)
    chars = sum(len(text) for text, _, _ in items) / len(items)
    out(f"match: {count:,} items, {chars:.0f} characters on average, best of {ROUNDS} rounds")
    built = {}
    matchers = {}
    for n in SIZES:
        start = time.process_time()
        matchers[n] = Matcher(queries[:n])
        built[n] = time.process_time() - start
    # Best of a few interleaved rounds: other processes on the machine slow some runs.
    best, found = dict.fromkeys(SIZES, float("inf")), {}
    for _ in range(ROUNDS):
        for n, matcher in matchers.items():
            start = time.process_time()
            matched = sum(len(matcher.find(text, lang, src)) for text, lang, src in items)
            best[n] = min(best[n], time.process_time() - start)
            # The same matches every round, or the rounds did not time the same work.
            expect(found.get(n, matched) == matched, f"match {n} names: counts differ")
            found[n] = matched
    checked = check_matches(matchers, queries, pool, items, inserted, step=1 if quick else 10)
    rates = {n: count / best[n] for n in SIZES}
    for n in SIZES:
        out(
            f"match {n:>7,} names: {rates[n]:>9,.0f} items/s  ({found[n]:,} matches,"
            f" x{rates[SIZES[0]] / rates[n]:.2f} the time of {SIZES[0]} names,"
            f" automaton built in {built[n]:.2f}s)"
        )
    out(
        f"match checked on {checked['items']:,} items: {checked['expected']:,} inserted names"
        f" found, {checked['matches']:,} matches all of their query's names, each smaller"
        " matcher finding what the largest finds among its names"
    )
    ratios = {n: rates[SIZES[0]] / rates[n] for n in GOALS}
    for n, goal in GOALS.items():
        verdict = "ok" if ratios[n] <= goal else "above goal"
        out(f"match cost {n:,} vs {SIZES[0]} names: x{ratios[n]:.2f} (goal <= {goal:g}: {verdict})")

    # Quick: 20,000 names over 400 organisations (building 100,000 again takes seconds).
    scale = (queries[:20_000], 400) if quick else (queries, 2_000)
    change = bench_rebuild.run(out, *scale, quick=quick)

    per_language = min(200 if quick else 2_000, size or 2_000)
    scored = score_rates(out, {"fr": french, "en": english}, per_language)
    top = SIZES[-1]
    out(
        f"summary: matching {rates[top]:,.0f} items/s with {top:,} names"
        f" (x{ratios[top]:.2f} vs {SIZES[0]}, goal <= {GOALS[top]:g}; 10,000:"
        f" x{ratios[10_000]:.2f}, goal <= {GOALS[10_000]:g}); {change}; scoring"
        f" {scored['fr']:,.0f} fr and {scored['en']:,.0f} en texts/s"
    )


def check_matches(matchers, queries, pool, items, inserted, step=10) -> dict[str, int]:
    """What the timed matchers found is what they should (BenchFailed otherwise).

    On every `step`-th item: each name inserted whose query has no filter, no quotes
    and no context is found (its alias needs context: not checked); each match's
    spans are its query's names or their tags and its filters allow the item; each
    smaller matcher finds the largest's matches among its own names.
    """
    largest = max(matchers)
    counts = {"items": 0, "expected": 0, "matches": 0}
    for i in range(0, len(items), step):
        text, lang, src = items[i]
        got = {m.query_id: m.spans for m in matchers[largest].find(text, lang, src)}
        for index, by_alias, written in inserted[i]:
            q = queries[index]
            name = pool[index][0]
            filtered = q.context_terms or q.exclude_terms or q.languages or q.source_ids
            # A tag of "Kalo & Fils" is "#kalo&fils", which no one writes: not a tag.
            tag_of_symbol = written[0] in "#@" and "&" in name
            if by_alias or filtered or q.names[0].startswith('"') or tag_of_symbol:
                continue
            expect(index in got, f"match: {written!r} not found in item {i}: {text[:200]!r}")
            counts["expected"] += 1
        for qid, spans in got.items():
            q = queries[qid]
            keys = set()
            for raw in q.names:
                key = parse_term(raw).key
                tag = re.sub(r"[ '.]", "", key)
                keys |= {key, "#" + tag, "@" + tag}
            for s, e in spans:
                shown = fold(text[s:e]).strip()
                expect(shown in keys, f"match: {shown!r} is none of {sorted(keys)} in item {i}")
            expect(not q.languages or lang in q.languages, f"match: language of item {i}")
            expect(not q.source_ids or src in q.source_ids, f"match: source of item {i}")
            counts["matches"] += 1
        for n, matcher in matchers.items():
            if n != largest:
                mine = {m.query_id for m in matcher.find(text, lang, src)}
                expect(mine == {qid for qid in got if qid < n}, f"match: {n} names, item {i}")
        counts["items"] += 1
    expect(counts["expected"] > 0, "match: no inserted name was checked")
    return counts


def score_rates(out, texts: dict[str, list[str]], per_language: int) -> dict[str, float]:
    """detect_language + score_text per second, per language; ratio to French."""
    rates = {}
    for lang, pool in texts.items():
        sample = (pool * (per_language // max(1, len(pool)) + 1))[:per_language]
        detect_language(sample[0])  # lazy model loads are not part of the rate
        score_text(sample[0], lang)
        # Features are cached per text (model.py); a rate measures texts never seen.
        text_features.cache_clear()
        start = time.process_time()
        agree = 0
        for text in sample:
            found = detect_language(text)
            agree += found == lang
            score_text(text, found)
        rates[lang] = len(sample) / (time.process_time() - start)
        expect(agree > len(sample) / 2, f"score {lang}: the language was mostly not {lang}")
        out(
            f"score {lang}: {rates[lang]:>9,.0f} texts/s  ({len(sample):,} texts,"
            f" x{rates[lang] / rates.get('fr', rates[lang]):.2f} the French rate,"
            f" language detected as {lang}: {agree / len(sample):.0%})"
        )
        # Tone toward a name alone (clauses, notices), language known: the scorer's part.
        text_features.cache_clear()
        start = time.process_time()
        for text in sample:
            score_toward(text, ["Dupont"], lang)
        toward = len(sample) / (time.process_time() - start)
        out(f"score_toward {lang}: {toward:>9,.0f} texts/s (scoring alone, one core)")
    return rates


@lru_cache
def french_texts() -> list[str]:
    """Real French texts: DEFT 2017 tweets and Allociné TV reviews."""
    base = SHARED / "sentiment"
    lines = []
    for path in sorted((base / "fr-tweets-deft2017").glob("*_text.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    for path in sorted((base / "fr-allocine-tv").glob("*.tsv")):
        lines += [row.split("\t", 1)[-1] for row in path.read_text(encoding="utf-8").splitlines()]
    return [line.strip() for line in lines if len(line.split()) >= 4]


_EN_WORDS = {"the", "and", "of", "to", "is", "in", "for", "that", "with", "on", "are"}
_TAGS = re.compile(r"<[^>]+>")


@lru_cache
def english_texts(wanted: int) -> list[str]:
    """Real English feed items (title + summary), smallest feed files first."""
    import feedparser

    files = sorted(
        (p for p in (SHARED / "feeds").rglob("*") if p.suffix.lower() in (".xml", ".rss", ".atom")),
        key=lambda p: p.stat().st_size,
    )
    texts, seen = [], set()
    for path in files:
        if path.stat().st_size > 400_000:
            break
        parsed = feedparser.parse(
            path.read_bytes(), sanitize_html=False, resolve_relative_uris=False
        )
        for entry in parsed.entries:
            summary = _TAGS.sub(" ", entry.get("summary", ""))
            text = " ".join(f"{entry.get('title', '')}. {summary}".split())
            words = set(re.findall(r"[a-z]+", text.lower()))
            if len(words & _EN_WORDS) >= 3 and text not in seen:
                seen.add(text)
                texts.append(text[:2000])
        if len(texts) >= wanted:
            break
    return texts
