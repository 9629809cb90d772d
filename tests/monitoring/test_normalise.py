"""One rule for accents and one for language codes (monitoring/normalise.py), and every
stage that reads them (parse, matching, sentiment, dedupe) applying that same rule."""

import pytest

from monitoring.matching.folding import fold
from monitoring.matching.matcher import Matcher, Query
from monitoring.normalise import language_code, strip_accents
from monitoring.parse.canonical import fingerprint
from monitoring.parse.feeds import parse_feed
from monitoring.parse.forum import dates as forum_dates
from monitoring.sentiment import aspects, detect_language
from monitoring.sentiment.text import fold as word_key


@pytest.mark.parametrize(
    "written, code",
    [
        ("fr-FR", "fr"),
        ("FR_fr", "fr"),
        ("en-us", "en"),
        ("fr_be", "fr"),
        (" FR ", "fr"),
        ("fr fr", "fr"),
        ("de", "de"),
        ("french", ""),
        ("fra", ""),
        ("*", ""),
        ("f1", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_it_reads_language_codes_as_sources_and_users_write_them(written, code):
    assert language_code(written) == code


def test_it_removes_accents_and_nothing_else():
    assert strip_accents("Déçu à Saint-Étienne") == "Decu a Saint-Etienne"
    assert strip_accents("ﬁable") == "fiable"  # compatibility forms are spelt out
    assert strip_accents("DUPONT & Fils") == "DUPONT & Fils"  # case and symbols kept


def test_it_folds_accents_the_same_way_for_matching_sentiment_and_dedupe():
    assert fold("Crème Brûlée") == "creme brulee"
    assert word_key("DÉÇU") == "decu"
    assert word_key("cœur") == "coeur"
    body = "Une crème brûlée remarquable, servie tiède, dans une brasserie du centre-ville."
    plain = "Une creme brulee remarquable, servie tiede, dans une brasserie du centre-ville."
    assert fingerprint("Dessert", body) == fingerprint("Dessert", plain) != ""


def test_it_filters_matches_on_languages_written_either_way():
    matcher = Matcher([Query(1, ["Dupont"], languages=["FR_fr"])])
    assert [m.query_id for m in matcher.find("Chez Dupont", language="fr-FR")] == [1]
    assert matcher.find("At Dupont's", language="en-us") == []


def test_it_takes_a_language_hint_written_either_way():
    # Too short to detect: the hint decides, once read as a code.
    assert detect_language("Dupont", hint="FR_fr") == "fr"
    assert detect_language("Dupont", hint="french") == ""


def test_it_reads_the_language_of_a_feed():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <language>FR_fr</language><item><title>Chez Dupont</title><link>https://a.example/1</link>
    </item></channel></rss>"""
    parsed = parse_feed(body, "https://a.example/rss")
    assert [e.language for e in parsed.entries] == ["fr"]


def test_it_reads_forum_dates_and_aspects_with_any_spelling_of_the_language():
    assert forum_dates.languages("EN_us")[0] == "en"
    assert aspects("Le service était lent", "fr-FR") == aspects("Le service était lent", "fr")
    assert aspects("Le service était lent", "fr") != []
