"""STUB (to be replaced by the sentiment work): language and tone of a text."""

from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_vader = SentimentIntensityAnalyzer()


@dataclass
class Score:
    label: str  # negative, neutral, positive
    score: float  # [-1, 1]
    confidence: float  # [0, 1]


def detect_language(text: str, hint: str = "") -> str:
    words = set(text.lower().split())
    return "fr" if len(words & {"le", "la", "les", "est", "et", "des", "une"}) >= 2 else "en"


def score_text(text: str, lang: str) -> Score:
    s = _vader.polarity_scores(text)["compound"]
    label = "positive" if s >= 0.05 else "negative" if s <= -0.05 else "neutral"
    return Score(label, s, abs(s))


def from_rating(rating: float) -> Score:
    s = rating * 2 - 1
    label = "positive" if s > 0.2 else "negative" if s < -0.2 else "neutral"
    return Score(label, s, 1.0)


def aspects(text: str, lang: str) -> list[str]:
    return []
