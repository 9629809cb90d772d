"""Star ratings written in a review's text: "4/5", "8/10", "15/20", "★★★★☆", "2 étoiles".

A rating the reviewer wrote is the reviewer's own verdict: when there is one, it
weighs more than the words (the page's structured rating, when the extractor finds
one, replaces the text's tone altogether: `from_rating`).
"""

import re
from functools import lru_cache

_FRACTION = re.compile(
    r"(?<![\d/.,:])(\d{1,2}(?:[.,]5)?)\s*/\s*(5|10|20)(?![\d/])"
    r"(?!\s*(?:ans|h\b|min|jours|mois|km|kg))",
    re.IGNORECASE,
)
_STARS = re.compile(r"([★✭⭐]{1,5})\s*([☆✩]{0,4})")
_WORDS = re.compile(
    r"(?<![\d/])([0-5](?:[.,]5)?)\s*(?:étoiles?|etoiles?|stars?|\*)(?!\w)", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
RATING_WEIGHT = 0.7  # share of the written rating in the score; the words keep the rest


@lru_cache(maxsize=1024)
def in_text(text: str) -> float | None:
    """The rating the text states, normalised to [0, 1]; None when it states none.
    Cached: a text's scoring asks it up to three times. Each pattern needs a
    character that most texts lack: "/", a star, or a digit."""
    if not text or (text.isascii() and not _DIGIT.search(text)):
        return None
    m = _FRACTION.search(text) if "/" in text else None
    if m:
        value, best = float(m.group(1).replace(",", ".")), float(m.group(2))
        # "hindsight is 20/20" is an idiom, not a mark
        if value <= best and not (value == best == 20):
            return value / best
    m = _STARS.search(text)
    if m and (m.group(2) or len(m.group(1)) >= 1) and (len(m.group(1)) + len(m.group(2))) == 5:
        return len(m.group(1)) / 5
    m = _WORDS.search(text)
    if m:
        return min(5.0, float(m.group(1).replace(",", "."))) / 5
    return None


def blend(rating: float, words: float) -> float:
    """A score from the written rating (as from_rating) and the words' score."""
    stars = max(-1.0, min(1.0, (rating - 0.6) / 0.4))
    return RATING_WEIGHT * stars + (1 - RATING_WEIGHT) * words
