"""A text's score, label and confidence, per language (thresholds in docs/sentiment.md).

French: the rules-and-lexicon compound (french.py). English: VADER with review
vocabulary (english.py). Other languages: no scorer, neutral with zero confidence
(never the English lexicon applied to another language). The review model
(verdict.py) and an organisation's own labels (adapt.py) start from this score.
"""

from dataclasses import dataclass

from monitoring.sentiment import english, french
from monitoring.sentiment.text import tokens

# |score| below this is neutral. French: 0.2 keeps mild review praise such as "c'est
# bien" positive; English: VADER's own 0.05.
NEUTRAL = {"fr": 0.2, "en": 0.05}
# A model's verdict whose p(positive) - p(negative) is closer to zero than this is
# neither: "Pas mal du tout ..., mais un peu chères." was "negative" at -0.01 and
# "positive" at +0.01. 0.02 settles those torn verdicts and keeps every evalsentiment
# figure where it was (Allociné 0.788 against 0.789 without a band; 0.05 cost 0.8 point,
# wider bands more: docs/sentiment.md).
UNDECIDED = 0.02
INDEX = {"negative": 0, "neutral": 1, "positive": 2}  # in a model's probabilities


@dataclass
class Raw:
    score: float  # [-1, 1]
    evidence: int  # sentiment-bearing units seen
    agree: bool  # positive and negative units do not pull hard both ways


def raw(text: str, lang: str) -> Raw | None:
    if lang == "fr":
        toks = tokens(text)
        words, valences = french.units(toks)
        lex, hits, mixed = french.score_units(words, valences, toks, detail=True)
        return Raw(lex, hits, not mixed)
    if lang == "en":
        compound, hits = english.score(text)
        return Raw(compound, hits, True)
    return None


def label_of(score: float, lang: str) -> str:
    """The label of a score: the one rule of the neutral band, for the lexicon's score
    and for a model's (p(positive) - p(negative)) alike."""
    threshold = NEUTRAL.get(lang, 0.05)
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


def settle(probabilities: list[float], lang: str) -> tuple[str, float, float]:
    """(label, score, probability of that label) of a model's (negative, neutral,
    positive) probabilities. The score is p(positive) - p(negative) and the label is
    label_of(score): a model torn between praise and complaint ("Pas mal du tout ...,
    mais un peu chères.", 0.45 against 0.46) is neutral, not "negative" at -0.01 and
    "positive" at +0.01 for a word more; its low probability gets it checked."""
    score = probabilities[2] - probabilities[0]
    best = max(INDEX, key=lambda label: probabilities[INDEX[label]])
    label = "neutral" if abs(score) < UNDECIDED else best
    return label, score, probabilities[INDEX[label]]


def confidence(r: Raw, lang: str) -> float:
    """How sure the label is, in [0, 1]; below mentions.LOW_CONFIDENCE (0.35) a person checks.

    See docs/sentiment.md ("Labels, thresholds, confidence").
    """
    threshold = NEUTRAL.get(lang, 0.05)
    strength = abs(r.score)
    if strength < threshold:
        if not r.evidence:
            return 0.5
        return 0.4 if strength < threshold / 2 else 0.3
    if lang == "fr":
        value = (0.2 + 1.4 * (strength - threshold)) * (1.0 if r.agree else 0.7)
    else:
        value = 0.25 + 0.75 * strength
    return round(max(0.0, min(1.0, value)), 3)
