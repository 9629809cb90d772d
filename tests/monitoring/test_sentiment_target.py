"""Tone toward one name (score_toward) and star ratings written in a text."""

from monitoring.sentiment import score_text, score_toward
from monitoring.sentiment.ratings import in_text


def test_it_reads_the_clause_about_each_name():
    text = "Le pain de Dupont est excellent, mais chez Lefèvre, c'est infect."
    assert score_toward(text, ["Dupont"], "fr").label == "positive"
    assert score_toward(text, ["Lefèvre"], "fr", others=["Dupont"]).label == "negative"
    # without knowing the other name, "chez <Name>" still marks someone else's clause
    assert score_toward(text, ["Dupont"], "fr", others=[]).label == "positive"


def test_it_reads_the_body_when_the_title_only_names_the_business():
    body = "Accueil exécrable, pain rassis et vendeuse désagréable."
    tone = score_toward(body, ["Boulangerie Dupont"], "fr", title="Boulangerie Dupont")
    assert tone.label == "negative"
    tone = score_toward(
        "Boulangerie Dupont : accueil exécrable, pain rassis…", ["Boulangerie Dupont"], "fr"
    )
    assert tone.label == "negative"


def test_it_keeps_factual_notices_neutral():
    for text in (
        "Boulangerie Dupont sera fermée du 1er au 15 août pour congés annuels.",
        "Nouveaux horaires chez Boulangerie Dupont : ouverture à 6h30 du mardi au dimanche.",
        "Boulangerie Dupont recrute un apprenti boulanger.",
    ):
        tone = score_toward(text, ["Boulangerie Dupont"], "fr")
        assert tone.label == "neutral", text
        assert tone.confidence >= 0.35
    # a notice with a clear verdict keeps it
    text = "Boulangerie Dupont est fermée, tant mieux : accueil odieux et pain infect."
    assert score_toward(text, ["Boulangerie Dupont"], "fr").label == "negative"


def test_it_reads_price_complaints():
    for text in (
        "Les prix de Dupont ont encore augmenté, 1,60 € la baguette c'est trop cher.",
        "Facture gonflée de 30 % chez Garage Martin, des frais cachés partout.",
        "Dupont : encore une augmentation des tarifs, c'est du vol.",
    ):
        assert score_text(text, "fr").label == "negative", text


def test_it_reads_star_ratings_written_in_the_text():
    assert in_text("Note : 4/5") == 0.8
    assert in_text("★★☆☆☆ bof") == 0.4
    assert in_text("2 étoiles seulement") == 0.4
    assert in_text("ouvert 7j/7 de 8h à 20h") is None
    assert in_text("hindsight is 20/20") is None
    assert score_text("1/5, serveur correct mais plats froids.", "fr").label == "negative"
    assert score_text("5/5 rien à dire", "fr").label == "positive"
