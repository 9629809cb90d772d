"""Matching rules: one test per rule, French and English examples."""

from monitoring.matching import matcher as match
from monitoring.matching.matcher import Matcher, Query


def found(names, doc, **filters):
    """The matched texts (from the original document) for a single query."""
    language = filters.pop("language", "")
    source_id = filters.pop("source_id", None)
    matches = Matcher([Query(1, names, **filters)]).find(doc, language, source_id)
    assert len(matches) <= 1
    return [doc[s:e] for s, e in matches[0].spans] if matches else []


def test_it_ignores_case_and_accents_both_ways():
    assert found(["Societe Generale"], "La Société Générale publie ses résultats.") == [
        "Société Générale"
    ]
    assert found(["Société Générale"], "SOCIETE GENERALE: results beat forecasts") == [
        "SOCIETE GENERALE"
    ]
    assert found(["Crème Brûlée Café"], "We loved the CREME BRULEE CAFE in Lyon") == [
        "CREME BRULEE CAFE"
    ]


def test_it_spells_out_ligatures():
    assert found(["Oeuvre d'Orient"], "Un don à l'Œuvre d’Orient") == ["Œuvre d’Orient"]
    assert found(["Cœur de Lion"], "le fromage Coeur de Lion") == ["Coeur de Lion"]
    assert found(["Aegis"], "Ægis Group plc") == ["Ægis"]
    assert found(["Strasse"], "an der Straße") == ["Straße"]


def test_it_treats_typographic_spaces_and_repeated_spaces_as_one_space():
    doc = "Chez Boulangerie\u00a0Dupont, puis Boulangerie   Dupont\net Boulangerie\u202fDupont"
    assert found(["Boulangerie Dupont"], doc) == [
        "Boulangerie\u00a0Dupont",
        "Boulangerie   Dupont",
        "Boulangerie\u202fDupont",
    ]
    assert found(["Boulangerie Dupont"], "Boulangerie\nDupont") == ["Boulangerie\nDupont"]


def test_it_matches_whole_words_only():
    assert found(["Orange"], "Une orangeade Orangina, des oranges.") == []
    assert found(["Orange"], "Orange annonce la 5G.") == ["Orange"]
    assert found(["Apple"], "Pineapple and applesauce, not Apple's products") == ["Apple"]
    assert found(["Dupont"], "Dupont2 et Dupont_bis, mais Dupont.") == ["Dupont"]


def test_it_matches_after_french_elisions_with_either_apostrophe():
    assert found(["Orange"], "le réseau d'Orange") == ["Orange"]
    assert found(["Orange"], "le réseau d’Orange") == ["Orange"]
    assert found(["Orange"], "Il dit qu'Orange ment.") == ["Orange"]
    assert found(["Orange"], "Il dit qu’Orange ment, l'Orange Vélodrome") == ["Orange", "Orange"]
    assert found(["Oréal"], "Les produits de l’Oréal") == ["Oréal"]


def test_it_matches_names_with_apostrophes_written_either_way():
    assert found(["L'Oréal"], "J’adore l’Oréal Paris") == ["l’Oréal"]
    assert found(["L’Oréal"], "L'OREAL shares rose") == ["L'OREAL"]
    # The elided form is part of the name: "Oréal" alone is not "L'Oréal".
    assert found(["L'Oréal"], "le groupe Oréal") == []


def test_it_matches_the_english_possessive():
    assert found(["Tesco"], "Tesco's profits fell; Tesco’s chief") == ["Tesco", "Tesco"]


def test_it_treats_hyphens_and_dashes_as_spaces():
    assert found(["Saint-Étienne"], "Le match à Saint Etienne") == ["Saint Etienne"]
    assert found(["Saint Etienne"], "Mairie de Saint-Étienne") == ["Saint-Étienne"]
    assert found(["Saint-Étienne"], "ASSE: Saint‑Étienne – Lyon") == ["Saint‑Étienne"]
    assert found(["Coca-Cola"], "a Coca Cola and a coca-cola") == ["Coca Cola", "coca-cola"]


def test_it_matches_hashtags_and_handles_of_multi_word_names():
    assert found(["Boulangerie Dupont"], "Merci #boulangeriedupont !") == ["#boulangeriedupont"]
    assert found(["Boulangerie Dupont"], "cc @BoulangerieDupont") == ["@BoulangerieDupont"]
    assert found(["L'Oréal"], "Love #LOreal #loréal") == ["#LOreal", "#loréal"]
    assert found(["Saint-Étienne"], "Allez #SaintEtienne") == ["#SaintEtienne"]
    # Only the whole tag: a longer tag or an e-mail address is not the name.
    assert found(["Boulangerie Dupont"], "#boulangeriedupontparis") == []
    assert found(["Boulangerie Dupont"], "contact@boulangeriedupont.fr") == []
    # Without its sign a tag is a made-up word, not the name.
    assert found(["Boulangerie Dupont"], "boulangeriedupont et #") == []


def test_it_matches_hashtags_and_handles_of_one_word_names_as_words():
    assert found(["Dupont"], "Bravo @dupont et #Dupont") == ["dupont", "Dupont"]
    assert found(["Dupont"], "#dupontdenemours") == []


def test_it_matches_quoted_names_exactly():
    assert found(['"Orange"'], "orange pressée, le réseau Orange, ORANGE") == ["Orange"]
    assert found(["«Société Générale»"], "Societe Generale et Société Générale") == [
        "Société Générale"
    ]
    # Typography is still uniform in an exact name.
    assert found(['"L\'Oréal"'], "chez L’Oréal\u00a0!") == ["L’Oréal"]
    # An exact name is not a hashtag.
    assert found(['"Boulangerie Dupont"'], "#boulangeriedupont") == []


def test_it_matches_word_starts_with_a_star():
    assert found(["boulang*"], "La boulangerie et le boulanger; Boulogne") == [
        "boulangerie",
        "boulanger",
    ]


def test_it_needs_one_context_term_when_there_are_some():
    names = ["Dupont"]
    ctx = ["boulangerie", "pain", "croissant*"]
    assert found(names, "M. Dupont, ministre, a parlé.", context_terms=ctx) == []
    assert found(names, "Le pain de Dupont est bon.", context_terms=ctx) == ["Dupont"]
    assert found(names, "Les croissants de chez Dupont", context_terms=ctx) == ["Dupont"]
    assert found(names, "Dupont's bakery", context_terms=["bakery"]) == ["Dupont"]
    # Whole words here too: "painting" is not "pain".
    assert found(names, "Dupont's painting", context_terms=ctx) == []


def test_it_drops_items_with_an_exclude_term():
    names = ["Orange"]
    assert found(names, "Orange Mécanique, le film", exclude_terms=["Orange mécanique"]) == []
    assert found(names, "Le film Orange mecanique", exclude_terms=["Orange Mécanique"]) == []
    assert found(names, "Orange et Free", exclude_terms=["Orange Mécanique"]) == ["Orange"]
    assert found(names, "orange juice from Orange", exclude_terms=["juice"]) == []


def test_it_filters_on_languages():
    doc = "Orange annonce la fibre."
    assert found(["Orange"], doc, languages=["fr"], language="fr") == ["Orange"]
    assert found(["Orange"], doc, languages=["fr"], language="fr-FR") == ["Orange"]
    assert found(["Orange"], doc, languages=["FR", "en"], language="en_GB") == ["Orange"]
    assert found(["Orange"], doc, languages=["en"], language="fr") == []
    assert found(["Orange"], doc, languages=["fr"], language="") == []
    assert found(["Orange"], doc, language="de") == ["Orange"]


def test_it_filters_on_sources():
    doc = "Orange annonce la fibre."
    assert found(["Orange"], doc, source_ids=[3, 4], source_id=4) == ["Orange"]
    assert found(["Orange"], doc, source_ids=[3, 4], source_id=5) == []
    assert found(["Orange"], doc, source_ids=[3], source_id=None) == []
    assert found(["Orange"], doc, source_id=9) == ["Orange"]


def test_it_matches_any_alias_and_keeps_the_longest_overlapping_span():
    names = ["Société Générale", "SocGen", "Générale"]
    doc = "SocGen, ex-Société Générale"
    assert found(names, doc) == ["SocGen", "Société Générale"]


def test_it_merges_overlapping_names_of_one_query():
    names = ["Crédit Agricole", "Agricole Bank"]
    assert found(names, "Le Crédit Agricole Bank de Paris") == ["Crédit Agricole Bank"]


def test_it_reports_each_query_separately_in_one_pass():
    matcher = Matcher(
        [
            Query(10, ["Dupont"]),
            Query(11, ["Boulangerie Dupont"]),
            Query(12, ["Dupont"], context_terms=["plomberie"]),
            Query(13, ["Martin"]),
        ]
    )
    doc = "La Boulangerie Dupont ouvre."
    got = {m.query_id: [doc[s:e] for s, e in m.spans] for m in matcher.find(doc)}
    assert got == {10: ["Dupont"], 11: ["Boulangerie Dupont"]}


def test_it_ignores_empty_names_and_handles_no_queries():
    assert Matcher([]).find("Orange") == []
    assert Matcher([Query(1, ["", "  ", "!!"])]).find("!! Orange") == []
    assert match.parse_term('""') is None
    assert match.parse_term(" Orange* ") == match.Term("orange", "", True)
    assert match.parse_term("“Orange”") == match.Term("orange", "Orange", False)
    assert match.parse_term('"Orange') == match.Term("orange", "", False)
    assert match.parse_term('"boulang*"') == match.Term("boulang", "boulang", True)


def test_it_matches_in_english_texts():
    doc = "Shares of Marks & Spencer rose; M&S said the Co-op's rival..."
    assert found(["Marks & Spencer"], doc) == ["Marks & Spencer"]
    assert found(["M&S"], doc) == ["M&S"]
    assert found(["Co-op"], doc) == ["Co-op"]


def test_it_keeps_the_punctuation_inside_names():
    assert found(["M&S"], "M&S, M & S, m s, M.S") == ["M&S"]
    assert found(["C++"], "C++ and C+ and C") == ["C++"]
    assert found(["Yahoo!"], "Yahoo! Mail, Yahoo mail") == ["Yahoo!"]
    assert found(["Société Générale"], "société.générale, société, générale") == []


def test_it_tries_a_query_on_documents_before_saving():
    docs = [
        (1, "La boulangerie Dupont a rouvert, le pain est excellent.", "fr", 1),
        (2, "M. Dupont, député, a voté.", "fr", 1),
        (3, "Dupont's bread is great", "en", 2),
    ]
    query = Query(0, ["Dupont"], context_terms=["pain", "bread"])
    hits = match.test_query(query, docs)
    assert [h.id for h in hits] == [1, 3]
    first = hits[0]
    assert [first.snippet[s:e] for s, e in first.highlights] == ["Dupont"]
    assert len(match.test_query(query, docs, limit=1)) == 1
