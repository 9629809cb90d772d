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
    threshold = NEUTRAL.get(lang, 0.05)
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


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
