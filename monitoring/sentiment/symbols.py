"""Valence of emoticons and emoji, shared by every language.

Emoticons take their valence from VADER's lexicon (":)" 2.0, ":(" -1.9...). Emoji
take the valence of their name in VADER's emoji file ("😡" -> "pouting face"), read
with VADER's English lexicon: a symbol's name, not the text being scored, so French
text is never scored with English words.
"""

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_vader = SentimentIntensityAnalyzer()

# Symbols whose name says little ("thumbs up" has no lexicon word) or misleads.
OVERRIDES = {
    "👍": 2.0,
    "👎": -2.0,
    "👌": 1.8,
    "👏": 2.0,
    "🙏": 1.2,
    "💯": 2.0,
    "🔥": 1.2,
    "⭐": 1.5,
    "🌟": 1.5,
    "❤": 2.5,
    "💩": -2.0,
    "🤮": -2.5,
    "🤬": -3.0,
    "😡": -2.5,
    "😠": -2.2,
    "😤": -1.5,
    "🙄": -1.2,
    "😒": -1.5,
    "😞": -1.8,
    "😭": -1.5,
    "😢": -1.8,
    "😂": 1.0,
    "🤣": 1.0,
    "😍": 2.8,
    "🥰": 2.8,
    "😊": 2.0,
    "🙂": 1.2,
    "😀": 1.8,
    "😃": 1.8,
    "😄": 1.8,
    "😁": 1.8,
    "😉": 1.0,
    "😘": 1.8,
    "🤩": 2.5,
    "😕": -1.0,
    "☹": -1.8,
    "🙁": -1.5,
    "😐": -0.3,
    "😑": -0.5,
    "😬": -0.8,
}
_EMOTICONS = {"^^": 1.5, "^_^": 1.8, "-_-": -1.0, "xd": 1.5, "<3": 2.5, "</3": -2.0}


@lru_cache(maxsize=4096)
def valence(token: str) -> float:
    """VADER-scale valence (about -4..4) of an emoticon or emoji token; 0 if none."""
    if token in OVERRIDES:
        return OVERRIDES[token]
    low = token.lower()
    if low in _EMOTICONS:
        return _EMOTICONS[low]
    if low.startswith("<3"):
        return 2.5
    if token in _vader.lexicon and not token.isalpha():
        return _vader.lexicon[token]
    name = _vader.emojis.get(token)
    if not name:
        return 0.0
    total = sum(_vader.lexicon.get(w, 0.0) for w in name.lower().split())
    return max(-3.0, min(3.0, total))
