"""The shipped review models (monitoring/sentiment/verdict.py): learnt from the team's
corpus and from nothing else, and what they change in the verdict."""

import json
import re

import pytest

from monitoring.sentiment import adapt, learning, score_text, score_toward, verdict
from monitoring.sentiment.model import text_features
from monitoring.tools import sentiment_allocine as allocine
from monitoring.tools import sentiment_data as datasets
from monitoring.tools import sentiment_train as train
from monitoring.tools.sentiment_train import CORPUS
from tests.shared import needs


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_it_ships_the_model_its_corpus_gives(lang):
    # Provenance: the file is exactly what `trainsentiment --shipped` learns from
    # corpus/train, so no other data can have gone into it.
    shipped = adapt.model_path(lang).read_text(encoding="utf-8")
    assert train.learn_shipped(lang).to_json() + "\n" == shipped
    assert json.loads(shipped)["memory"] == {}  # it generalises, it does not recall lines


def test_it_never_learns_from_its_held_out_texts():
    trained = {_fold(t) for lang in ("fr", "en") for t, _, _ in train.corpus(lang)}
    held = {_fold(t) for lang in ("fr", "en") for t, _, _ in train.corpus(lang, "held_out")}
    assert len(trained) > 4000 and len(held) > 900
    assert not trained & held


@needs(datasets.shared_dir() / "fr-allocine-tv")
def test_it_learns_nothing_from_the_evaluation_only_sets():
    evaluation = set()
    for split in ("train", "dev", "test"):
        evaluation |= {_fold(e.text) for e in datasets.allocine(split)}
    for split in ("train", "val", "test"):
        evaluation |= {_fold(e.text) for e in datasets.deft_tweets(split)}
    corpus = {_fold(t) for path in CORPUS.glob("*/*.tsv") for t in _texts(path)}
    # a text of one or two words ("Bien.", "Nul !") is everybody's
    assert not {t for t in corpus & evaluation if t.count(" ") >= 2}


def _texts(path):
    return [line.partition("\t")[2] for line in path.read_text(encoding="utf-8").splitlines()]


def test_it_reads_facts_that_complain():
    # no word of tone, but what reviewers write when something went wrong
    for text in (
        "Au bout de 2 lavages le pull ressemble à une serpillère.",
        "Le technicien est reparti sans avoir changé la pièce, facture quand même.",
        "Remboursement promis sous 48h, il y a cinq semaines.",
    ):
        assert verdict.shipped(text, "fr", model=False).label != "negative"
        assert score_text(text, "fr").label == "negative"


def test_it_leaves_short_plain_facts_to_the_lexicon():
    for text in ("Colis livré.", "Article reçu.", "Réouverture le 2 septembre."):
        assert len(text_features(text, "fr")) <= verdict.THIN
        assert score_text(text, "fr").label == "neutral"


def test_it_keeps_the_lexicons_lean_inside_the_neutral_band():
    text = "Le magasin de la rue Nationale sera fermé pour inventaire lundi."
    s = score_text(text, "fr")
    assert s.label == "neutral"
    assert abs(s.score) < 0.2


def test_it_keeps_news_neutral():
    for text in (
        "La boulangerie Martin a ouvert une seconde boutique place du marché.",
        "Le conseil municipal se réunira jeudi à 20 heures en mairie.",
    ):
        assert score_text(text, "fr").label == "neutral"
    notice = score_toward("Le garage Dupont change de propriétaire.", ["garage Dupont"], "fr")
    assert notice.label == "neutral"


def test_it_keeps_praise_set_aside_by_a_contrast_apart():
    # "aimable" before "mais" is in many complaints; the model reads it as pre_aimable
    feats = text_features("Vendeur aimable, mais produit jamais livré.", "fr")
    assert "pre_aimable" in feats and "aimable" not in feats
    assert score_text("Le vendeur est aimable.", "fr").label == "positive"
    assert score_text("Vendeur aimable, mais produit jamais livré.", "fr").label == "negative"


def test_it_is_confident_where_it_is_usually_right():
    assert adapt.confidence(0.5) == pytest.approx(0.35)  # mentions.LOW_CONFIDENCE
    assert adapt.confidence(1.0) == 1.0
    assert adapt.confidence(0.2) == 0.0


def test_it_lets_an_organisations_corrections_start_from_the_shipped_verdict():
    text = "Le pain était encore chaud et la vendeuse pressée."
    shipped = verdict.shipped(text, "fr")
    assert shipped.logits is not None
    learnt = learning.learn([(text, "positive", "fr")] * 3 + [("Pain rassis.", "negative", "fr")])
    other = "Pain encore chaud ce matin, vendeuse pressée."
    before, after = score_text(other, "fr"), score_text(other, "fr", adapter=learnt)
    assert after.score > before.score


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_it_applies_the_shipped_model(lang):
    # the shipped file loads as a current model, whatever an adapter's format checks
    model = verdict.reviews_model(lang)
    assert model is not None and model.examples > 800 and not model.stale
    text = {"fr": "Le pull a rétréci au premier lavage, la couleur a passé.", "en": ""}[lang]
    text = text or "The hinge snapped after two weeks and support never answered."
    assert verdict.shipped(text, lang).logits is not None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_it_ships_the_polarity_model_its_data_gives(lang):
    # Provenance: each polarity model is exactly what `trainsentiment --shipped` learns
    # from the team's corpus and the train part of one real set, nothing else: UCI's
    # sentences in English (CC BY 4.0), Allociné film reviews of Blard's corpus in
    # French (MIT).
    shipped = adapt.polarity_path(lang).read_text(encoding="utf-8")
    assert train.real(lang) and train.real(lang)[0][2] == lang
    assert train.learn_polarity(lang).to_json() + "\n" == shipped
    assert json.loads(shipped)["memory"] == {}


def test_it_never_learns_from_uci_dev_or_held_out():
    real = {_fold(t) for t, _, _ in train.real("en")}
    team = {_fold(t) for t, _, _ in train.corpus("en")}
    for part in ("dev", "held_out"):
        measured = {_fold(e.text) for e in datasets.uci_sentences(part)}
        assert len(measured) > 550
        assert not real & measured
        # a stock phrase of three words ("Worth every penny.") is everybody's
        assert not {t for t in team & measured if t.count(" ") >= 3}
    assert len(train.real("en")) == 1773


def test_it_never_learns_from_the_measured_french_reviews():
    # Allociné's dev and held-out film reviews, its TV reviews and DEFT's tweets are
    # measured, never learnt from
    real = {_fold(t) for t, _, _ in train.real("fr")}
    team = {_fold(t) for t, _, _ in train.corpus("fr")}
    assert len(real) == len(train.real("fr")) == 1998
    assert {split for _, split, _ in allocine.read(CORPUS / "allocine" / "train.tsv")} == {"train"}
    measured = [datasets.allocine_films("dev"), datasets.allocine_films("held_out")]
    if (datasets.shared_dir() / "fr-allocine-tv").exists():
        measured += [datasets.allocine("test"), datasets.deft_tweets("test")]
    for examples in measured:
        texts = {_fold(e.text) for e in examples}
        assert not {t for t in (real | team) & texts if t.count(" ") >= 3}


def test_it_learns_nothing_from_vaders_ground_truth():
    # VADER's tweets and NYT editorials measure regressions on tweets and news
    learnt = {_fold(t) for t, _, _ in train.corpus("en") + train.real("en")}
    for name in ("tweets", "nytEditorialSnippets"):
        measured = {_fold(e.text) for e in datasets.vader_ground_truth(name)}
        assert not {t for t in learnt & measured if t.count(" ") >= 2}


def test_it_asks_the_polarity_model_only_which_side_a_weak_text_takes(monkeypatch):
    strong = "Terrible phone, the screen cracked and support was useless."
    weak = "The food came out cold and the waiter forgot our drinks."
    assert abs(verdict.shipped(strong, "en", model=False).score) >= verdict.POLARITY_GATE
    assert verdict.shipped(weak, "en", model=False).score == 0
    with_polarity = {t: verdict.shipped(t, "en") for t in (strong, weak)}
    monkeypatch.setattr(verdict, "polarity_model", lambda lang: None)
    without = {t: verdict.shipped(t, "en") for t in (strong, weak)}
    # a clear lexicon: as before; a weak one: whether it takes a side is the review
    # model's (same neutral probability), which side the polarity model's
    assert with_polarity[strong] == without[strong]
    neutral = [adapt.softmax(v.logits)[1] for v in (with_polarity[weak], without[weak])]
    assert neutral[0] == pytest.approx(neutral[1])
    assert with_polarity[weak].logits != without[weak].logits
    assert with_polarity[weak].label == "negative"


def test_it_lets_the_french_polarity_model_side_a_whole_review(monkeypatch):
    # a review's length: words of tone point both ways (plot, contrast), the polarity
    # model learnt from real reviews says which side it takes, however strong the lexicon
    review = (
        "Le scénario est bourré de clichés, les dialogues sont plats et la fin tombe à "
        "plat, mais les acteurs sont formidables et la photo est superbe, on passe un "
        "excellent moment malgré tout."
    )
    short = "Excellent, superbe, formidable !"
    assert len(text_features(review, "fr")) >= verdict.LONG_REVIEW["fr"]
    assert len(text_features(short, "fr")) < verdict.LONG_REVIEW["fr"]
    assert abs(verdict.shipped(short, "fr", model=False).score) >= verdict.POLARITY_GATE
    assert abs(verdict.shipped(review, "fr", model=False).score) >= verdict.POLARITY_GATE
    with_polarity = {t: verdict.shipped(t, "fr") for t in (short, review)}
    monkeypatch.setattr(verdict, "polarity_model", lambda lang: None)
    without = {t: verdict.shipped(t, "fr") for t in (short, review)}
    assert with_polarity[short] == without[short]
    assert with_polarity[review].logits != without[review].logits
