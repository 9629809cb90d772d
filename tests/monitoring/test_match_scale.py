"""Thousands of queries in one matcher give the same answers as each query alone.

The reference is a plain regular expression per name over the folded text: slow, but
obviously right. Names and documents come from real French tweets (DEFT 2017) and
Allociné reviews in ../shared, so accents, hashtags and apostrophes are real ones.
"""

import random
import re

import pytest

from monitoring.matching.folding import fold, light_fold
from monitoring.matching.matcher import Matcher, Query, parse_term
from tests.shared import require


@pytest.fixture(scope="module")
def docs():
    sets = require("sentiment")
    tweets = (sets / "fr-tweets-deft2017/train_text.txt").read_text(encoding="utf-8")
    reviews = (sets / "fr-allocine-tv/train.tsv").read_text(encoding="utf-8")
    lines = tweets.splitlines()[:1500] + [r.split("\t", 1)[-1] for r in reviews.splitlines()[:500]]
    return [line for line in lines if line.strip()]


def _queries(docs, count, seed):
    rng = random.Random(seed)
    words = sorted({w for d in docs for w in re.findall(r"[#@]?\w[\w'’-]+", d) if len(w) > 3})
    queries = []
    for i in range(count):
        names = [" ".join(rng.sample(words, rng.choice([1, 1, 2])))]
        if rng.random() < 0.3:
            names.append(rng.choice(words))
        if rng.random() < 0.1:
            names[0] = f'"{names[0]}"'
        context = rng.sample(words, 3) if rng.random() < 0.2 else []
        exclude = rng.sample(words, 2) if rng.random() < 0.2 else []
        languages = ["fr"] if rng.random() < 0.1 else ["en"] if rng.random() < 0.05 else []
        sources = [1, 2] if rng.random() < 0.1 else []
        queries.append(Query(i, names, context, exclude, languages, sources))
    return queries


def _bounded(text):
    before = r"(?<!\w)" if re.match(r"\w", text) else ""
    after = r"(?!\w)" if re.search(r"\w$", text) else ""
    return re.compile(before + re.escape(text) + after)


def _pattern(raw):
    return _bounded(parse_term(raw).key)


def _compact(key):
    return re.sub(r"[ '.]", "", key)


def _hashtag(raw):
    term = parse_term(raw)
    compact = _compact(term.key)
    if term.exact or compact == term.key or not re.fullmatch(r"\w+", compact):
        return None
    return re.compile(r"(?<!\w)[#@]" + re.escape(compact) + r"(?!\w)")


class Reference:
    """One query as plain regular expressions, compiled once."""

    def __init__(self, query):
        self.query = query
        self.names, self.exact, self.tags = [], [], []
        # Plain substrings first: the regular expressions only run where they may match.
        self.needles = [parse_term(raw).exact or parse_term(raw).key for raw in query.names]
        self.needles += [_compact(parse_term(raw).key) for raw in query.names]
        for raw in query.names:
            term = parse_term(raw)
            if term.exact:  # the exact form in the text with only typography made uniform
                self.exact.append(_bounded(term.exact))
            else:
                self.names.append(_bounded(term.key))
                if _hashtag(raw):
                    self.tags.append(_hashtag(raw))
        self.exclude = [_pattern(t) for t in query.exclude_terms]
        self.context = [_pattern(t) for t in query.context_terms]

    def matches(self, folded, light, language, source_id):
        q = self.query
        if not any(n in folded or n in light for n in self.needles):
            return False
        if q.languages and language not in q.languages:
            return False
        if q.source_ids and source_id not in q.source_ids:
            return False
        named = any(p.search(folded) for p in self.names + self.tags) or any(
            p.search(light) for p in self.exact
        )
        if not named or any(p.search(folded) for p in self.exclude):
            return False
        return not self.context or any(p.search(folded) for p in self.context)


def test_it_gives_each_query_the_same_answer_among_two_thousand(docs):
    queries = _queries(docs, 2000, seed=1)
    references = [Reference(q) for q in queries]
    matcher = Matcher(queries)
    rng = random.Random(2)
    checked = matched = 0
    for doc in docs[::10]:
        language = rng.choice(["fr", "fr", "en", ""])
        source_id = rng.choice([1, 1, 3, None])
        got = {m.query_id for m in matcher.find(doc, language, source_id)}
        folded, light = fold(doc), light_fold(doc)
        expected = {r.query.id for r in references if r.matches(folded, light, language, source_id)}
        assert got == expected, doc
        checked += 1
        matched += len(got)
    assert checked > 150
    assert matched > 300  # the test exercises real hits, not only misses


def test_it_reports_spans_that_fold_to_the_names(docs):
    queries = _queries(docs, 2000, seed=3)
    matcher = Matcher(queries)
    for doc in docs[:800]:
        for m in matcher.find(doc, "fr", 1):
            keys = set()
            for n in queries[m.query_id].names:
                term = parse_term(n)
                keys |= {term.key, "#" + re.sub(r"[ '.]", "", term.key)}
                keys.add("@" + re.sub(r"[ '.]", "", term.key))
            for s, e in m.spans:
                assert fold(doc[s:e]).strip() in keys, (doc[s:e], keys)


def test_it_matches_one_name_tracked_by_many_organisations(docs):
    queries = [
        Query(i, ["Boulangerie Dupont"], context_terms=[f"ville{i % 7}"]) for i in range(700)
    ]
    matcher = Matcher(queries)
    got = matcher.find("La Boulangerie Dupont de ville3 et ville5")
    assert sorted(m.query_id for m in got) == [i for i in range(700) if i % 7 in (3, 5)]
