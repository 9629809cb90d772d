"""French tone: each rule of monitoring/sentiment/french.py, through the public score_text."""

from monitoring.sentiment import score_text, scorer
from monitoring.sentiment.french import score as lexicon_score


def fr(text):
    return score_text(text, "fr")


def test_it_reads_plain_praise_and_complaints():
    assert fr("Produit conforme à la description, livraison rapide.").label == "positive"
    assert fr("Très bon produit, je suis ravie de mon achat.").label == "positive"
    assert fr("Produit de mauvaise qualité, à éviter.").label == "negative"
    assert fr("Je n'ai jamais reçu ma commande et aucun remboursement.").label == "negative"


def test_it_flips_ne_pas_negation():
    assert fr("Je recommande ce magasin.").label == "positive"
    assert fr("Je ne recommande pas ce magasin.").label == "negative"
    assert fr("Le vendeur est aimable.").score > 0
    assert fr("Le vendeur n'est pas aimable.").score < 0


def test_it_flips_other_negators():
    # ne ... plus / jamais / rien, colloquial "pas" alone, "sans"
    assert lexicon_score("Le service n'est plus efficace")[0] < 0
    assert lexicon_score("Je n'ai jamais été déçu")[0] > 0
    assert lexicon_score("c'est pas bon")[0] < 0
    assert lexicon_score("j'aime pas")[0] < 0
    assert fr("Installation sans problème").label == "positive"


def test_it_knows_pas_terrible_and_pas_mal():
    assert fr("Ce n'est pas terrible.").label == "negative"
    assert fr("Pas terrible, la couleur ne correspond pas.").label == "negative"
    assert fr("c'est pas mal").label == "positive"
    assert fr("Pas mal du tout !").label == "positive"
    # "pas cher" is praise of the price, "trop cher" a complaint
    assert fr("pas cher").score > 0 > fr("trop cher").score


def test_it_strengthens_with_intensifiers():
    for booster in ("très", "trop", "vraiment", "super", "tellement"):
        assert lexicon_score(f"c'est {booster} efficace")[0] > lexicon_score("c'est efficace")[0]
    assert lexicon_score("c'est vraiment décevant")[0] < lexicon_score("c'est décevant")[0]
    assert lexicon_score("c'est un peu décevant")[0] > lexicon_score("c'est décevant")[0]


def test_it_weighs_the_clause_after_mais_more():
    assert fr("Livraison rapide mais produit décevant.").label == "negative"
    assert fr("C'est bien mais trop cher.").label == "negative"
    assert fr("Un peu cher mais excellent produit, je recommande.").label == "positive"
    before = lexicon_score("Produit décevant, livraison rapide")[0]
    after = lexicon_score("Produit décevant mais livraison rapide")[0]
    assert after > before


def test_it_strengthens_with_exclamation_marks():
    plain = lexicon_score("Service impeccable")[0]
    assert lexicon_score("Service impeccable !")[0] > plain
    assert lexicon_score("Service impeccable !!!")[0] > lexicon_score("Service impeccable !")[0]
    assert lexicon_score("Service nul !!!")[0] < lexicon_score("Service nul")[0]


def test_it_reads_emoticons_and_emoji():
    assert fr("Commande reçue :)").score > 0
    assert fr("Commande reçue :(").score < 0
    assert fr("Commande reçue 😡").label == "negative"
    assert fr("Commande reçue 👍").label == "positive"
    assert fr("Nul 👎").label == "negative"
    # glued to a word, the emoji still counts
    assert fr("Merci👍").score > 0


def test_it_reads_text_typed_without_accents_or_with_repeated_letters():
    assert fr("tres decue, a eviter").label == "negative"
    assert fr("géniaaaal").label == "positive"
    assert fr("DÉCEVANT").label == "negative"


def test_it_keeps_neutral_what_has_no_tone():
    for text in ("Article reçu.", "La boutique ouvre à 9 heures le samedi.", ""):
        s = fr(text)
        assert s.label == "neutral"
        assert -0.2 < s.score < 0.2


def test_it_returns_scores_and_confidences_in_range():
    for text in ("Nul, à fuir !!!", "Parfait 😍😍", "bof", "Article reçu."):
        s = fr(text)
        assert -1 <= s.score <= 1
        assert 0 <= s.confidence <= 1
    # clear cases are sure, faint ones are flagged for a person (mentions.LOW_CONFIDENCE)
    assert fr("Nul, à fuir !!!").confidence > 0.8
    assert scorer.confidence(scorer.Raw(0.15, 2, True), "fr") < 0.35  # near the threshold


def test_it_never_applies_the_english_lexicon_to_french():
    # "pas" and "mal" mean nothing to VADER; "sale" is "dirty" in French, "sale" in English
    assert fr("Toilettes sales").label == "negative"
    assert score_text("Big sale this weekend", "en").label != "negative"
