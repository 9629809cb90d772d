"""Offsets: folding changes lengths, matches and highlights must point at the original."""

import random
import re
import unicodedata

import pytest

from monitoring.matching import folding as textnorm
from monitoring.matching.excerpt import context, merge_spans, sentences, snippet
from monitoring.matching.folding import fold, fold_map, light_fold
from monitoring.matching.matcher import Matcher, Query
from tests.shared import require


@pytest.fixture(scope="module")
def fr_lines():
    """Real French tweets (DEFT 2017): accents, hashtags, typographic apostrophes."""
    path = require("sentiment", "fr-tweets-deft2017", "train_text.txt")
    return path.read_text(encoding="utf-8").splitlines()[:800]


def test_it_maps_every_folded_character_to_the_original_one_it_comes_from():
    doc = "L’ŒUVRE  de\u00a0Saint-Étienne — Straße ﬁne Socie\u0301te\u0301\u00adX™"
    folded, fmap = fold_map(doc)
    assert folded == "l'oeuvre de saint etienne strasse fine societex™"
    back = "".join(doc[fmap(i)] for i in range(len(folded)))
    assert back == "L’ŒŒUVRE de\u00a0Saint-Étienne Straßße ﬁﬁne SocieteX™"


def test_it_folds_any_text_as_character_by_character_folding_would():
    # fold_map takes shortcuts (lower() first, the table for odd characters only): it
    # must give what folding each character and then collapsing spaces gives.
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000]
    alphabet += ["İ", "ẞ", "\u0301", "\u00ad", "\t", "\n"]
    for _ in range(2000):
        text = "".join(
            rng.choice(alphabet) if rng.random() < 0.3 else rng.choice("aBc -'É")
            for _ in range(rng.randint(0, 40))
        )
        expected = re.sub(" {2,}", " ", "".join(textnorm._fold_char(c) for c in text))
        folded, fmap = fold_map(text)
        assert folded == expected, text
        for i, c in enumerate(folded):
            assert c in textnorm._fold_char(text[fmap(i)]) or c == " ", (text, i)


def test_it_folds_like_fold_map_on_real_french_text(fr_lines):
    for line in fr_lines:
        folded, fmap = fold_map(line)
        assert folded == fold(line)
        for i in range(0, len(folded), 7):
            assert folded[i] in fold(line[fmap(i)]) or folded[i] == " "


def test_it_reports_spans_of_the_original_text_after_expansions_and_drops():
    doc = (
        "Œuvres: l’ŒUVRE  D’ORIENT et  l'œuvre d'Orient; Socie\u0301te\u0301 Ge\u0301ne\u0301rale."
    )
    matcher = Matcher([Query(1, ["Oeuvre d'Orient"]), Query(2, ["Société Générale"])])
    got = {m.query_id: [doc[s:e] for s, e in m.spans] for m in matcher.find(doc)}
    assert got == {
        1: ["ŒUVRE  D’ORIENT", "œuvre d'Orient"],
        2: ["Socie\u0301te\u0301 Ge\u0301ne\u0301rale"],
    }


def test_it_finds_names_at_exact_offsets_in_noisy_text():
    rng = random.Random(7)
    names = ["Société Générale", "Cœur de Lion", "L'Oréal", "Saint-Étienne", "Crédit Agricole"]
    noise = ["\u00a0", "  ", "\n", "œ", "ß", "e\u0301", "\u00ad", "—", "ﬁ", "’", "é", "x"]
    matcher = Matcher([Query(i, [n]) for i, n in enumerate(names)])
    for _ in range(200):
        parts, expected = [], {}
        for _ in range(6):
            parts.append(" " + "".join(rng.choice(noise) for _ in range(rng.randint(0, 4))) + " ")
            qi = rng.randrange(len(names))
            start = sum(map(len, parts))
            parts.append(names[qi])
            expected.setdefault(qi, []).append((start, start + len(names[qi])))
        doc = "".join(parts)
        got = {m.query_id: m.spans for m in matcher.find(doc)}
        assert got == expected, doc


def test_it_highlights_the_match_inside_the_snippet_on_accented_text():
    doc = (
        "Un long préambule sur l’économie française et les œuvres d’art. " * 3
        + "Hier, la Société\u00a0Générale et la SOCIETE   GENERALE ont annoncé des hausses. "
        + "Fin de l’article, très long lui aussi. " * 5
    )
    spans = Matcher([Query(1, ["Societe Generale"])]).find(doc)[0].spans
    text, highlights = snippet(doc, spans, width=60)
    # White space is shown as one plain space in snippets.
    assert [text[s:e] for s, e in highlights] == ["Société Générale", "SOCIETE GENERALE"]
    assert text.startswith("…") and text.endswith("…")
    assert len(text) < 200
    assert "  " not in text


def test_it_highlights_ligatures_and_decomposed_accents_in_the_snippet():
    doc = "L’ŒUVRE D’ORIENT\n\naide les chrétiens d'Orient. Merci à l'Œuvre d’Orient !"
    spans = Matcher([Query(1, ["oeuvre d'orient"])]).find(doc)[0].spans
    text, highlights = snippet(doc, spans)
    assert text == "L’ŒUVRE D’ORIENT aide les chrétiens d'Orient. Merci à l'Œuvre d’Orient !"
    assert [text[s:e] for s, e in highlights] == ["ŒUVRE D’ORIENT", "Œuvre d’Orient"]


def test_it_keeps_the_snippet_within_the_width_and_on_word_boundaries():
    doc = (
        " ".join(f"mot{i}" for i in range(200)) + " Orange " + " ".join("x" * 5 for _ in range(50))
    )
    spans = Matcher([Query(1, ["Orange"])]).find(doc)[0].spans
    text, highlights = snippet(doc, spans, width=30)
    assert text[highlights[0][0] : highlights[0][1]] == "Orange"
    words = text.strip("…").split()
    assert all(w.startswith("mot") or w in ("Orange", "xxxxx") for w in words)
    assert len(text) <= 30 * 2 + len("Orange") + 2


def test_it_splits_sentences_without_breaking_on_abbreviations():
    doc = "M. Dupont a ouvert. Le pain est bon! Vraiment ? Oui… Title line\nNext"
    got = [doc[s:e] for s, e in sentences(doc)]
    assert got == [
        "M. Dupont a ouvert.",
        "Le pain est bon!",
        "Vraiment ?",
        "Oui…",
        "Title line",
        "Next",
    ]


def test_it_gives_the_sentence_of_the_match_and_its_neighbours_as_context():
    doc = (
        "Premier paragraphe sans rapport. Deuxième phrase neutre. "
        "Le service était lent. La Boulangerie Dupont m'a déçu. Heureusement le pain était bon. "
        "Autre sujet complètement différent. Encore une phrase. Et une dernière."
    )
    spans = Matcher([Query(1, ["Boulangerie Dupont"])]).find(doc)[0].spans
    assert context(doc, spans) == (
        "Le service était lent. La Boulangerie Dupont m'a déçu. Heureusement le pain était bon."
    )


def test_it_joins_separate_passages_of_the_context():
    doc = "A Orange. B. C. D. E. F. G Orange. H."
    spans = Matcher([Query(1, ["Orange"])]).find(doc)[0].spans
    assert context(doc, spans) == "A Orange. B. … F. G Orange. H."


def test_it_cuts_a_very_long_sentence_around_the_match():
    doc = "bla " * 500 + "Orange est nul " + "bla " * 500
    spans = Matcher([Query(1, ["Orange"])]).find(doc)[0].spans
    around = context(doc, spans)
    assert "Orange est nul" in around
    assert len(around) <= 420


def test_it_compares_exact_names_on_typography_only():
    assert light_fold("L’Oréal\u00a0 Paris") == "L'Oréal Paris"
    assert light_fold("Saint-Étienne") == light_fold("Saint Étienne")
    assert light_fold(unicodedata.normalize("NFD", "Été")) == "Été"


def test_it_merges_overlapping_and_touching_spans_once_for_matches_and_pages():
    assert merge_spans([(10, 14), (0, 3), (2, 5), (5, 7), (12, 13)]) == [(0, 7), (10, 14)]
    doc = "Boulangerie Dupont et Dupont"
    spans = Matcher([Query(1, ["Boulangerie Dupont", "Dupont"])]).find(doc)[0].spans
    assert spans == [(0, 18), (22, 28)]
