"""The small supervised French model: a logistic regression over words and word pairs.

Trained by `python manage.py trainsentiment` (monitoring/sentiment/train.py) on the
train splits only, and shipped as data/fr_model.json.gz (feature -> weight). It is
applied here in plain Python, which is faster for one short text than scikit-learn.
Features are the words of french.units (lexicon phrases kept whole: "pas_mal"), those
under a negation marked "non_" ("je ne recommande pas" -> "non_recommande"), and
their adjacent pairs, present or absent, the vector scaled to unit length.

Left out: function words, which in the training texts mark a style (TV reviews,
tweets) rather than a tone (with them the model did worse across domains, trained on
Allociné and tested on DEFT tweets and the other way round); size words ("petit": TV
reviews praise "un petit bijou", a shopper complains of a "trop petit" shoe); and the
nouns naming what a review is about ("qualité", "prix", "livraison"), which praise
and complaints share; and words of time and number ("fois", "première", "jours":
"la première saison" in TV reviews, "au bout de deux jours" in product reviews).
"""

import gzip
import json
import math
from functools import cache
from pathlib import Path

from monitoring.sentiment.french import negation_marked, units
from monitoring.sentiment.lexicon import extra_keys
from monitoring.sentiment.text import tokens

MODEL_FILE = Path(__file__).resolve().parent / "data" / "fr_model.json.gz"


STOPWORDS = frozenset(
    "a au aux avec ce ces c' cet cette d' dans de des du elle elles en et eux il ils j' "  # noqa: SIM905
    "je l' la le les leur leurs lui m' ma mais me meme mes moi mon n' ne nos notre nous "
    "on ou par pas pour qu' que qui s' sa se ses son sur t' ta te tes toi ton tu un une "
    "vos votre vous y est sont etait ete etre avoir ai as avait ont c ca cela ceci celui "
    "celle ici donc alors puis car si tout tous toute toutes tres plus moins bien aussi "
    "encore deja depuis quand comme apres avant entre sous chez vers fait faire peu "
    "quelque quelques autre autres memes dont lors suis es sommes etes soit soient sera "
    "seront serait seraient etaient fut avons avez aura auront aurait auraient peut peux "
    "pouvez doit dois faut va vais vont petit petite petits petites qualite prix article "
    "produit produits livraison service commande vendeur colis fois jour jours semaine "
    "semaines mois an ans annee annees heure heures minute minutes premier premiere "
    "premiers premieres dernier derniere un deux trois quatre cinq six sept huit neuf dix "
    "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
)


def features(words: list[str]) -> set[str]:
    """Features of negation-marked words (french.negation_marked).

    Function words are left out, and so are our own set phrases (data/fr_extra.tsv,
    "pas_mal", "a_fuir"): they are rules, which TV reviews must not overturn ("pas mal"
    is lukewarm praise there, and mildly positive in a shop review).
    """
    idioms = _idioms()
    words = [w for w in words if w.removeprefix("non_") not in STOPWORDS and w not in idioms]
    feats = set(words)
    feats.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return feats


def analyzer(text: str) -> list[str]:
    """scikit-learn's view of a text: the same features as at run time."""
    return sorted(features(negation_marked(units(tokens(text))[0])))


@cache
def _idioms() -> frozenset[str]:
    return frozenset(k.replace(" ", "_") for k in extra_keys() if " " in k)


@cache
def weights() -> tuple[float, dict[str, float]]:
    if not MODEL_FILE.exists():
        return 0.0, {}
    with gzip.open(MODEL_FILE, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return data["bias"], data["weights"]


def logit(words: list[str]) -> float | None:
    """Log-odds of positive given negation-marked words; None when none is known.

    The intercept is left out: it is the training sets' balance of classes, not
    something a short text in another domain should inherit.
    """
    _, w = weights()
    feats = features(words)
    if not feats or not w:
        return None
    known = [w[f] for f in feats if f in w]
    if not known:
        return None
    return sum(known) / math.sqrt(len(feats))
