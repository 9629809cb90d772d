"""The small supervised French model: a logistic regression over words and word pairs.

Trained by `python manage.py trainsentiment` (monitoring/sentiment/train.py) on the
train splits only, and shipped as data/fr_model.json.gz (feature -> weight). It is
applied here in plain Python, which is faster for one short text than scikit-learn.
Features are the words of french.units (lexicon phrases kept whole: "pas_mal"), those
under a negation marked "non_" ("je ne recommande pas" -> "non_recommande"), and
their adjacent pairs, present or absent, the vector scaled to unit length.
"""

import gzip
import json
import math
from functools import cache
from pathlib import Path

from monitoring.sentiment.french import negation_marked, units
from monitoring.sentiment.text import tokens

MODEL_FILE = Path(__file__).resolve().parent / "data" / "fr_model.json.gz"


def features(words: list[str]) -> set[str]:
    """Features of negation-marked words (french.negation_marked)."""
    feats = set(words)
    feats.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return feats


def analyzer(text: str) -> list[str]:
    """scikit-learn's view of a text: the same features as at run time."""
    return sorted(features(negation_marked(units(tokens(text))[0])))


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
