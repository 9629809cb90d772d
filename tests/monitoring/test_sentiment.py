"""The public interface of monitoring.sentiment: Score, score_text, from_rating."""

from pathlib import Path

import pytest

import monitoring.sentiment
from monitoring.sentiment import Score, from_rating, score_text, score_toward, scorer


def test_it_scores_french_and_english_with_their_own_scorer():
    assert score_text("Service client injoignable, je suis furieux.", "fr").label == "negative"
    assert score_text("Customer service was unreachable, I am furious.", "en").label == "negative"
    # region subtags are accepted
    assert score_text("Accueil chaleureux", "fr-FR").label == "positive"


def test_it_detects_the_language_when_none_is_given():
    assert score_text("Je suis très déçu par ce produit, à éviter.", "").label == "negative"
    assert score_text("I am very disappointed with this product.", "").label == "negative"


def test_it_leaves_other_languages_neutral_and_unsure():
    s = score_text("Das Essen war schrecklich und viel zu teuer.", "de")
    assert s == Score("neutral", 0.0, 0.0)


@pytest.mark.parametrize(
    "stars,label,score",
    [
        (1, "negative", -1.0),
        (2, "negative", -0.5),
        (3, "neutral", 0.0),
        (4, "positive", 0.5),
        (5, "positive", 1.0),
    ],
)
def test_it_maps_five_star_ratings(stars, label, score):
    s = from_rating(stars / 5)
    assert (s.label, s.score, s.confidence) == (label, pytest.approx(score), 1.0)


def test_it_maps_other_scales_and_clamps():
    assert from_rating(4 / 10).label == "negative"
    assert from_rating(6 / 10).label == "neutral"
    assert from_rating(7 / 10).label == "positive"
    assert from_rating(3.5 / 5).label == "positive"
    assert from_rating(2.5 / 5).label == "neutral"
    assert from_rating(0.0).score == -1.0
    assert from_rating(1.7).score == 1.0


def test_it_ships_no_weights_learnt_from_evaluation_only_data():
    # DEFT 2017 and Allociné are for tests and evaluation only (../shared/README.md)
    data = Path(monitoring.sentiment.__file__).parent / "data"
    assert not (data / "fr_model.json.gz").exists()
    assert not (data / "fr_neutralised.txt").exists()


def test_it_ignores_the_words_of_a_business_name_when_asked():
    text = "Nouvelle ouverture du Super Bon Marché rue de la Paix."
    assert score_text(text, "fr").label == "positive"  # "super", "bon marché" read as praise
    assert score_text(text, "fr", ignore=["super bon marché"]).label == "neutral"
    # the tone around the name still counts
    assert (
        score_text("Super Bon Marché : accueil odieux", "fr", ignore=["Super Bon Marché"]).label
        == "negative"
    )
    assert score_text("Top Garage did a great job", "en", ignore=["Top Garage"]).label == "positive"
    assert (
        score_text("Top Garage is on Main Street", "en", ignore=["Top Garage"]).label == "neutral"
    )


MIXED = "Pas mal du tout les nouvelles tartes de Boulangerie Dupont, mais un peu chères."


@pytest.mark.parametrize(
    "closing",
    [
        "Vu ce matin rue Francis-de-Pressensé.",
        "Je passe tous les jours devant en allant au travail.",
        "On y est allés en famille.",
    ],
)
def test_it_calls_a_torn_verdict_neutral(closing):
    # Issue 16, defect 3: these were "negative" at -0.01 and "positive" at +0.01.
    names = ["Boulangerie Dupont"]
    tone = score_toward(f"{MIXED} {closing}", names, "fr")
    assert tone.label == "neutral"
    assert tone.confidence < 0.35  # and a person is asked to check it


def test_it_settles_a_model_torn_between_praise_and_complaint():
    label, score, chance = scorer.settle([0.46, 0.09, 0.45], "fr")
    assert (label, round(score, 2), chance) == ("neutral", -0.01, 0.09)
    assert scorer.settle([0.2, 0.1, 0.7], "fr")[0] == "positive"
    assert scorer.settle([0.3, 0.5, 0.2], "fr")[0] == "neutral"
