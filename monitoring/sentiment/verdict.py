"""The shipped verdict on a text, before any organisation's own labels.

Three steps, each optional but the first:
1. lexicon and rules (scorer.raw: french.py, english.py): a score in [-1, 1];
2. the review model (`data/<lang>_reviews_model.json`, an adapt.Adapter): a logistic
   regression that starts from the lexicon's score and adds weights of words (marked
   when negated or set aside), learnt only from the reviews and mentions the team wrote
   for it (`corpus/`, see docs/sentiment.md); when the lexicon is weak, a polarity
   model (`data/<lang>_polarity_model.json`) learnt from that corpus and from
   real reviews (the train parts of UCI's sentences, CC BY 4.0, in English, of Allociné
   film reviews, MIT, in French) says which side a polar text takes (in French also
   when the text is a review's length);
   `manage.py trainsentiment --shipped` rebuilds both, and
   tests/monitoring/test_sentiment_model.py checks the files are what the data gives;
3. a star rating written in the text ("4/5", "★★☆☆☆"), which weighs more than words.

An organisation's adapter (adapt.apply) then starts from this verdict's log-odds.
"""

import math
from dataclasses import dataclass
from functools import cache

from monitoring.sentiment import adapt, ratings, scorer
from monitoring.sentiment.model import text_features

THIN = 3  # content words (model.text_features) a text without tone words needs for the model
# Below this lexicon strength the polarity model (learnt from real reviews too) says which
# way a polar text leans; above it the lexicon and the review model do, as before. Chosen
# on UCI's dev part, with VADER's tweets and NYT editorials kept as they were (0.5 and
# more lost VADER's tweets 0.3 to 0.5 point of binary accuracy; docs/sentiment.md).
POLARITY_GATE = 0.3
# French: in a text of this many content words or more (a review's length, not a tweet's)
# the polarity model, learnt from real film reviews (Allociné, MIT), says which side it
# takes whatever the lexicon's strength: over a whole review, words of tone point both
# ways (plot, contrast). Chosen on Allociné's dev part (0.778 at the gate alone, 0.812
# from 10 words, 0.805 from 20, 0.813 for every text), with DEFT's tweets kept (3-class
# macro F1 0.506, against 0.499 for every text).
LONG_REVIEW = {"fr": 10}
# A neutral verdict's lean (its score's sign) is the polarity model's when it is this
# sure of a side (|p(positive) - p(negative)| among polar readings), else the lexicon's.
# Chosen on UCI's dev part: 0.5 kept VADER's tweets at 0.980; 0 cost them 0.5 point.
SURE_LEAN = 0.5


@dataclass
class Verdict:
    label: str
    score: float  # [-1, 1]
    confidence: float  # [0, 1]
    logits: list[float] | None = None  # the review model's, for an adapter to start from


@cache
def reviews_model(lang: str) -> adapt.Adapter | None:
    return _load(adapt.model_path(lang)) if lang else None


@cache
def polarity_model(lang: str) -> adapt.Adapter | None:
    return _load(adapt.polarity_path(lang)) if lang else None


def _load(path) -> adapt.Adapter | None:
    if not path.exists():
        return None
    return adapt.Adapter.from_json(path.read_text(encoding="utf-8"))


def _sided(p: list[float], polarity: adapt.Adapter, score: float, feats, lang: str):
    """The review model's probabilities with the share of polar readings split between
    negative and positive as the polarity model says: whether a text takes a side is
    learnt where neutral mentions are (the team's corpus), which side also from real
    reviews, which have no neutral ones. Returns the log-odds and the polarity model's
    lean, p(positive) - p(negative) among polar readings, in [-1, 1]."""
    q = adapt.softmax(polarity.logits(score, feats, lang))
    pos = q[2] / (q[0] + q[2])
    polar = 1.0 - p[1]
    mixed = [polar * (1.0 - pos), p[1], polar * pos]
    return [math.log(max(x, 1e-12)) for x in mixed], 2 * pos - 1


def shipped(text: str, lang: str, model: bool = True) -> Verdict | None:
    """The verdict of what ships; None for a language without a scorer.

    `model=False`: lexicon and rules alone (how the review model itself is trained,
    and the figure it is compared with)."""
    text = text or ""
    r = scorer.raw(text, lang)
    if r is None:
        return None
    learnt = reviews_model(lang) if model else None
    feats = text_features(text, lang) if learnt else ()
    # With no word of tone and hardly any other word, the model would judge on topic
    # alone ("Colis livré.", "Réouverture le 2 septembre.": parcels and refunds come up
    # in complaints more often): too thin, the lexicon's neutral stands.
    if learnt is not None and (r.evidence or len(feats) > THIN):
        logits = learnt.logits(r.score, feats, lang)
        p = adapt.softmax(logits)
        polarity = polarity_model(lang)
        side = 0.0
        if polarity is not None and (
            abs(r.score) < POLARITY_GATE or len(feats) >= LONG_REVIEW.get(lang, math.inf)
        ):
            logits, side = _sided(p, polarity, r.score, feats, lang)
            p = adapt.softmax(logits)
        label, score, chance = scorer.settle(p, lang)
        if label == "neutral":
            # Neutral: which way the text leans is the lexicon's (the review model's lean
            # is its corpus's bias; used only when the lexicon has none) or, when it is
            # sure, the polarity model's; the score stays inside the neutral band.
            band = 0.99 * scorer.NEUTRAL.get(lang, 0.05)
            lean = side if abs(side) > SURE_LEAN else r.score or score
            score = max(-band, min(band, lean))
        verdict = Verdict(label, score, adapt.confidence(chance), logits)
    else:
        verdict = Verdict(scorer.label_of(r.score, lang), r.score, scorer.confidence(r, lang))
    stars = ratings.in_text(text)
    if stars is not None:
        score = ratings.blend(stars, verdict.score)
        rated = scorer.Raw(score, r.evidence + 1, True)
        verdict = Verdict(scorer.label_of(score, lang), score, scorer.confidence(rated, lang))
    return verdict
