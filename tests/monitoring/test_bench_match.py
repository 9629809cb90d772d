"""The matching benchmark runs and prints its figures (no timing assertions)."""

import re

from monitoring.normalise import strip_accents
from monitoring.tools import bench_match as bench
from tests.shared import needs

# Its items are built from the shared feeds and sentiment sets.
pytestmark = [needs("feeds"), needs("sentiment")]


def test_it_prints_matching_and_scoring_figures():
    lines = []
    bench.run(lines.append, size=400, quick=True)
    text = "\n".join(lines)
    for n in ("10", "1,000", "10,000"):
        assert re.search(rf"match +{n} names: +[\d,]+ items/s", text), text
    assert re.search(r"match cost 10,000 vs 10 names: x\d+\.\d\d", text), text
    for lang in ("fr", "en"):
        assert re.search(rf"score {lang}: +[\d,]+ texts/s", text), text
    assert lines[-1].startswith("summary: matching ")
    assert all(float(x.replace(",", "")) > 0 for x in re.findall(r"([\d,]+) items/s", text))


def test_it_builds_items_from_real_texts_with_names_written_many_ways():
    import random

    rng = random.Random(1)
    pool = bench.names(200, rng)
    assert len({strip_accents(n).lower() for n, _ in pool}) == 200
    french = bench.french_texts()
    assert len(french) > 5000  # DEFT tweets and Allociné reviews
    items = bench.make_items(300, french, bench.english_texts(50), pool, rng)
    assert {lang for _, lang, _ in items} == {"fr", "en"}
    assert any("#" in text for text, _, _ in items)
