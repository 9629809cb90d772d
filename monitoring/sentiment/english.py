"""English tone: VADER, unchanged rules, with the vocabulary of product and service reviews.

VADER (Hutto & Gilbert 2014) handles negation, boosters, "but", caps, "!" and emoji.
Its lexicon misses what customers write about goods and shops ("flimsy", "refund",
"stopped working", "overpriced"): data/en_extra.tsv adds those words (never changing
a valence VADER already has), and set phrases
are joined into one token before VADER reads the text ("waste of money" ->
"waste_of_money") since VADER only looks up single words. Emoji whose name says
nothing to VADER ("😡" is "pouting face") get the valence of symbols.py.
"""

import re
from functools import cache
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitoring.sentiment.symbols import OVERRIDES

EXTRA = Path(__file__).resolve().parent / "data" / "en_extra.tsv"


@cache
def _analyzer() -> tuple[SentimentIntensityAnalyzer, re.Pattern | None, dict[str, str]]:
    vader = SentimentIntensityAnalyzer()
    phrases: dict[str, str] = {}
    for line in EXTRA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, value = line.split("\t")[:2]
        key = word.lower()
        if " " in key:
            token = key.replace(" ", "_").replace("'", "")
            phrases[key] = token
            key = token
        # VADER's own valences were rated by people: ours only fill its gaps.
        vader.lexicon.setdefault(key, float(value))
    for emoji, value in OVERRIDES.items():
        token = f"emoji{ord(emoji[0]):x}"
        phrases[emoji] = f" {token} "
        vader.lexicon[token] = value
    pattern = None
    if phrases:
        alternatives = sorted(phrases, key=len, reverse=True)
        words = "|".join(map(re.escape, (a for a in alternatives if a.isascii())))
        symbols = "|".join(map(re.escape, (a for a in alternatives if not a.isascii())))
        pattern = re.compile(rf"\b(?:{words})\b|{symbols}", re.I)
    return vader, pattern, phrases


# VADER's negation check rereads the whole text for every word: quadratic. Texts
# longer than this are scored sentence by sentence and the sentences' raw sums added,
# which is what VADER computes for the whole, but linear.
CHUNK_WORDS = 60
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ALPHA = 15.0  # VADER's normalisation constant: compound = x / sqrt(x^2 + alpha)
_HOWEVER = re.compile(r",?\s*\b(?:however|on the other hand)\b,?", re.IGNORECASE)


def score(text: str) -> tuple[float, int]:
    """(VADER compound in [-1, 1], number of sentiment-bearing words)."""
    vader, pattern, phrases = _analyzer()
    # VADER knows "but" only: "however" and "on the other hand" turn a review the same way.
    text = _HOWEVER.sub(" but ", text)
    if pattern is not None:
        text = pattern.sub(lambda m: phrases[m.group(0).lower()], text)
    if len(text.split()) <= CHUNK_WORDS:
        compound = vader.polarity_scores(text)["compound"]
    else:
        total = 0.0
        for sentence in _SENTENCE_END.split(text):
            part = min(0.9999, max(-0.9999, vader.polarity_scores(sentence)["compound"]))
            total += part * (_ALPHA / (1 - part * part)) ** 0.5  # back to VADER's raw sum
        compound = round(total / (total * total + _ALPHA) ** 0.5, 4)
    return compound, 1 if compound else 0
