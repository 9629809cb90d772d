"""English tone: VADER, unchanged rules, with the vocabulary of product and service reviews.

VADER (Hutto & Gilbert 2014) handles negation, boosters, "but", caps, "!" and emoji.
Its lexicon misses what customers write about goods and shops ("flimsy", "refund",
"stopped working", "overpriced"): data/en_extra.tsv adds those words, and set phrases
are joined into one token before VADER reads the text ("waste of money" ->
"waste_of_money") since VADER only looks up single words.
"""

import re
from functools import cache
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

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
        vader.lexicon[key] = float(value)
    pattern = None
    if phrases:
        alternatives = sorted(phrases, key=len, reverse=True)
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, alternatives)) + r")\b", re.I)
    return vader, pattern, phrases


def score(text: str) -> tuple[float, int]:
    """(VADER compound in [-1, 1], number of sentiment-bearing words)."""
    vader, pattern, phrases = _analyzer()
    if pattern is not None:
        text = pattern.sub(lambda m: phrases[m.group(0).lower()], text)
    compound = vader.polarity_scores(text)["compound"]
    return compound, 1 if compound else 0
