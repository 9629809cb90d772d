"""aspects(): what a mention speaks of, in French and English, accent-insensitive."""

from monitoring.sentiment import aspects
from monitoring.sentiment.aspects import ASPECTS, KEYWORDS


def test_it_tags_french_reviews():
    assert aspects("Accueil glacial et personnel désagréable.", "fr") == ["reception", "staff"]
    assert aspects("Prix exorbitants pour une qualité médiocre.", "fr") == ["price", "quality"]
    assert aspects("Livraison en retard, le SAV ne répond pas.", "fr") == [
        "delays",
        "after_sales",
    ]
    assert aspects("Toilettes sales et odeur désagréable.", "fr") == ["hygiene"]
    assert aspects("Remboursement refusé.", "fr") == ["after_sales"]
    # waiting for it is a delay too
    assert aspects("Remboursement toujours pas reçu.", "fr") == ["delays", "after_sales"]
    assert aspects("Service après-vente au top", "fr") == ["after_sales"]


def test_it_ignores_accents_and_case():
    assert aspects("HYGIENE douteuse", "fr") == ["hygiene"]
    assert aspects("hygiène douteuse", "fr") == ["hygiene"]
    assert aspects("Délai trop long", "fr") == aspects("delai trop long", "fr") == ["delays"]


def test_it_tags_english_reviews():
    assert aspects("The staff were rude and the bathroom was dirty.", "en") == [
        "staff",
        "hygiene",
    ]
    assert aspects("Overpriced, and shipping took forever.", "en") == ["price", "delays"]
    assert aspects("Flimsy build quality; customer service refused a refund.", "en") == [
        "quality",
        "after_sales",
    ]
    assert aspects("A warm welcome at the front desk", "en") == ["reception"]


def test_it_keeps_each_language_to_its_list():
    # "sales" is dirty in French, and selling in English
    assert aspects("Les chambres sont sales", "fr") == ["hygiene"]
    assert aspects("Sales are up this year", "en") == []


def test_it_reads_unknown_languages_with_both_lists():
    assert aspects("prix et staff", "") == ["price", "staff"]


def test_it_finds_nothing_in_text_without_aspects():
    assert aspects("Nous avons passé une belle journée.", "fr") == []
    assert aspects("", "fr") == []


def test_it_documents_every_aspect_in_both_languages():
    for lang in ("fr", "en"):
        assert set(KEYWORDS[lang]) == set(ASPECTS)


def test_it_does_not_read_a_prize_as_the_price():
    assert "price" not in aspects("Le pain a gagné le prix du meilleur pain du Rhône", "fr")
    assert "price" not in aspects("Lauréat du prix Goncourt 2024", "fr")
    assert "price" not in aspects("Le prix de la meilleure baguette est décerné à Dupont", "fr")
    assert "price" in aspects("Les prix sont raisonnables", "fr")
    assert "price" in aspects("Le prix du pain a encore augmenté", "fr")
