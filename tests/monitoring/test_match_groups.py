"""One matcher per organisation, and a cap on the memory of the matchers a worker keeps."""

import random
import tracemalloc

from monitoring.matching.groups import MatcherSet
from monitoring.matching.matcher import Matcher, Query
from monitoring.tools.bench_names import make_queries, names


def _queries(group):
    return [Query(group * 100 + i, [f"Boulangerie {group} Numéro {i}"]) for i in range(20)]


class Loader:
    def __init__(self):
        self.asked = []

    def __call__(self, groups):
        self.asked += groups
        return {g: _queries(g) for g in groups}


def _found(matchers, group, groups=None):
    text = f"Très bon pain à la Boulangerie {group} Numéro 3."
    return {
        m.query_id for m in matchers.find(text, "fr", None, [group] if groups is None else groups)
    }


def test_it_forgets_the_least_recently_used_matchers_past_its_cap():
    one = Matcher(_queries(0)).footprint
    load = Loader()
    matchers = MatcherSet(load, max_bytes=int(one * 3.5))
    for group in (0, 1, 2, 0, 3):  # 0 read again: 1 is now the least recently used
        assert _found(matchers, group) == {group * 100 + 3}
    assert matchers.groups() == [2, 0, 3]
    assert matchers.evicted == 1
    assert matchers.held_bytes <= matchers.max_bytes
    assert load.asked == [0, 1, 2, 3]  # 0 was kept, not built again
    # A forgotten matcher is built again when a text is next read for it.
    assert _found(matchers, 1) == {103}
    assert load.asked[-1] == 1
    assert matchers.groups() == [0, 3, 1]


def test_it_keeps_the_matchers_a_text_is_read_with_even_past_the_cap():
    matchers = MatcherSet(Loader(), max_bytes=1)
    text = "La Boulangerie 4 Numéro 3 et la Boulangerie 5 Numéro 3."
    assert {m.query_id for m in matchers.find(text, "fr", None, [4, 5])} == {403, 503}
    assert matchers.groups() == [4, 5]
    assert _found(matchers, 6) == {603}
    assert matchers.groups() == [6]
    assert matchers.evicted == 2


def test_it_holds_every_matcher_without_a_cap():
    load = Loader()
    matchers = MatcherSet(load)
    for group in range(30):
        assert _found(matchers, group) == {group * 100 + 3}
    assert matchers.groups() == list(range(30))
    assert matchers.evicted == 0


def test_it_counts_what_it_holds_as_matchers_come_and_go():
    matchers = MatcherSet(Loader())
    matchers.keep({0: 1, 1: 1, 2: 1})
    matchers.ready([0, 1, 2])
    sizes = [m.footprint for m in matchers.ready([0, 1, 2])]
    assert matchers.held_bytes == sum(sizes) > 0
    matchers.keep({0: 1, 1: 2, 2: 1})  # group 1 changed: its matcher is forgotten
    assert matchers.groups() == [0, 2]
    assert matchers.held_bytes == sizes[0] + sizes[2]
    matchers.drop(0)
    matchers.drop(2)
    assert matchers.held_bytes == 0


def test_it_forgets_the_owners_and_names_of_a_forgotten_matcher():
    matchers = MatcherSet(Loader(), max_bytes=1)
    _found(matchers, 7)
    assert set(matchers.owners) == {700 + i for i in range(20)}
    _found(matchers, 8)
    assert set(matchers.owners) == set(matchers.names) == {800 + i for i in range(20)}


def test_it_estimates_a_matchers_memory_close_to_what_python_allocates():
    rng = random.Random(5)
    queries = make_queries(names(3_000, rng), rng)
    for count in (300, 3_000):
        Matcher(queries[:count])  # folding's caches filled, as in a worker that has run
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            matcher = Matcher(queries[:count])
            allocated = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        # Never under (a cap would be overrun). Over, by up to 40 % in a plain
        # interpreter for small matchers, and more here: the same matcher counts a
        # third less under pytest than in `bench match` (fitted there).
        assert 0.85 * allocated <= matcher.footprint <= 1.8 * allocated, (count, allocated)
