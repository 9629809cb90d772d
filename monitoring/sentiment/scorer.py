"""A text's score, label and confidence, per language (thresholds in docs/sentiment.md).

French: weighted mean of the rules-and-lexicon compound (french.py, weight 1) and
tanh of the model's log-odds (model.py, weight MODEL_WEIGHT). The weight was chosen
across domains (model trained on TV reviews and tested on tweets, and the other way
round): 0.75 helped both ways, a full weight did not; the lexicon carries the review
vocabulary (delivery, after-sales) that the training texts lack. English: VADER with
review vocabulary (english.py). Other languages: no scorer, neutral with zero confidence (never the
English lexicon applied to another language).
"""

import math
from dataclasses import dataclass

from monitoring.sentiment import english, french, model
from monitoring.sentiment.text import tokens

# |score| below this is neutral. French: chosen on the DEFT val split (macro F1 0.570
# at 0.2, 0.580 at 0.25, 0.556 at 0.15; the lower one keeps mild review praise such as
# "c'est bien" positive); English: VADER's own 0.05.
NEUTRAL = {"fr": 0.2, "en": 0.05}
MODEL_WEIGHT = 0.75


@dataclass
class Raw:
    score: float  # [-1, 1]
    evidence: int  # sentiment-bearing words or known model features seen
    agree: bool  # the two French scorers point the same way (always True in English)


def raw(text: str, lang: str) -> Raw | None:
    if lang == "fr":
        toks = tokens(text)
        words, valences = french.units(toks)
        lex, hits = french.score_units(words, valences, toks)
        log_odds = model.logit(french.negation_marked(words))
        if log_odds is None:  # no word the model knows: the lexicon alone speaks
            return Raw(lex, hits, True)
        learned = math.tanh(log_odds)
        agree = (lex >= 0) == (learned >= 0) or not hits
        combined = (lex + MODEL_WEIGHT * learned) / (1 + MODEL_WEIGHT)
        return Raw(combined, hits + 1, agree)
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

    Polar labels: French 0.2 + 1.4 x (|score| - 0.2), read off the DEFT val and
    Allociné dev splits (labels with |score| 0.2-0.3 were right about half the time,
    0.3-0.4 two times in three, 0.5 and more 8 to 10 times in 10), times 0.7 when
    lexicon and model disagree (right 2 times in 10 near the threshold then);
    English 0.25 + 0.75 x |compound| (set by hand: VADER's sign is reliable).
    Neutral labels: 0.5 with no sentiment word at all, 0.4 when the score is under half
    the threshold, 0.3 near it (mixed or faint tone: worth a look).
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
