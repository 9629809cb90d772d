"""The matching benchmark runs and prints its figures (no timing assertions)."""

import random
import re

from monitoring.normalise import strip_accents
from monitoring.tools import bench_match as bench
from monitoring.tools import bench_names
from tests.shared import needs

# Its items are built from the shared feeds and sentiment sets.
pytestmark = [needs("feeds"), needs("sentiment")]


def test_it_prints_matching_and_scoring_figures():
    lines = []
    bench.run(lines.append, size=400, quick=True)
    text = "\n".join(lines)
    for n in ("10", "1,000", "10,000", "100,000"):
        assert re.search(rf"match +{n} names: +[\d,]+ items/s", text), text
    assert re.search(r"match cost 10,000 vs 10 names: x\d+\.\d\d \(goal <= 2: ", text), text
    assert re.search(r"match cost 100,000 vs 10 names: x\d+\.\d\d \(goal <= 2.5: ", text), text
    # What was timed was checked: inserted names found, matches right.
    checked = re.search(r"match checked on ([\d,]+) items: ([\d,]+) inserted names found", text)
    assert checked and int(checked[2].replace(",", "")) > 0, text
    # The cost of one changed name, spread over organisations and in one.
    assert re.search(r"rebuild: 20,000 names over 400 organisations \(50 each\)", text), text
    assert re.search(r"holds [\d,]+ MB \(estimated\), resident memory \+[\d,]+ MB", text), text
    assert re.search(r"rebuild one organisation \(50 names\).*: [\d.]+ ms .*tracemalloc", text)
    assert re.search(r"rebuild one organisation holding all 20,000 names: [\d.]+s", text), text
    assert re.search(r"rebuild with a cap of [\d,]+ MB .* held at most [\d,]+ MB", text), text
    for lang in ("fr", "en"):
        assert re.search(rf"score {lang}: +[\d,]+ texts/s", text), text
    assert lines[-1].startswith("summary: matching ")
    assert all(float(x.replace(",", "")) > 0 for x in re.findall(r"([\d,]+) items/s", text))


def test_it_builds_items_from_real_texts_with_names_written_many_ways():
    rng = random.Random(1)
    pool = bench_names.names(200, rng)
    assert len({strip_accents(n).lower() for n, _ in pool}) == 200
    french = bench.french_texts()
    assert len(french) > 5000  # DEFT tweets and Allociné reviews
    inserted = []
    items = bench_names.make_items(300, french, bench.english_texts(50), pool, rng, inserted)
    assert {lang for _, lang, _ in items} == {"fr", "en"}
    assert any("#" in text for text, _, _ in items)
    # What was inserted is in the text as written, and recorded item by item.
    assert len(inserted) == len(items)
    assert all(written in items[i][0] for i, put in enumerate(inserted) for _, _, written in put)
    assert sum(map(len, inserted)) > 200


def test_it_makes_names_of_every_kind_with_their_aliases():
    pool = bench_names.names(5_000, random.Random(2))
    joined = " ".join(name for name, _ in pool)
    assert "Boulangerie" in joined and " Paris" in joined
    assert any(alias.startswith(("Dr ", "Maître ")) for _, alias in pool)  # people
    assert any(name.endswith(" SARL") for name, _ in pool)
    assert any(alias != name and alias in name for name, alias in pool)  # shop without its town
    # Aliases are shared between customers at scale ("Boulangerie Martin" in two towns).
    aliases = [alias for _, alias in pool]
    assert len(set(aliases)) < len(aliases)
