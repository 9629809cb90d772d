"""Language and tone of a text, French first, then English (see docs/sentiment.md).

The public interface used by poll.py and mentions.py:
- detect_language(text, hint) -> "fr", "en", another two-letter code, or "";
- score_text(text, lang) -> Score(label, score, confidence);
- from_rating(rating) -> Score for a star rating normalised to [0, 1];
- aspects(text, lang) -> what the text speaks of ("price", "staff"...);
- score_toward(text, names, lang, title=...) -> Score of the part about those names;
- learning.learn(examples) -> an organisation's Adapter, passed as adapter=... to both.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from monitoring.normalise import language_code
from monitoring.sentiment import adapt, target, verdict
from monitoring.sentiment.aspects import aspects
from monitoring.sentiment.language import detect_language

__all__ = [
    "Score",
    "aspects",
    "detect_language",
    "from_rating",
    "mask",
    "score_text",
    "score_toward",
]


@dataclass
class Score:
    label: str  # negative, neutral, positive
    score: float  # [-1, 1]
    confidence: float  # [0, 1]


def score_text(
    text: str, lang: str, ignore: Iterable[str] = (), adapter: "adapt.Adapter | None" = None
) -> Score:
    """Tone of a short text in `lang` ("" or unknown: detected from the text first).

    Only French and English are scored; any other language is neutral with zero
    confidence, so that the caller flags it for a person. `ignore`: names whose words
    must not count ("Super U", "Au Bon Pain", "Top Garage" are neither praise nor
    complaint): a mention's caller should pass the tracked name it matched.
    `adapter`: the organisation's own labels (learning.learn), or None.
    A star rating written in the text ("4/5", "★★☆☆☆", "2 étoiles") counts too.
    """
    text = mask(text, ignore)
    lang = language_code(lang) or detect_language(text)
    v = verdict.shipped(text, lang)
    if v is None:
        return Score("neutral", 0.0, 0.0)
    adapted = adapt.apply(adapter, text, lang, v.score, v.logits)
    if adapted is not None:
        return Score(*adapted)
    return Score(v.label, round(v.score, 4), v.confidence)


def score_toward(
    text: str,
    names: Iterable[str],
    lang: str,
    title: str = "",
    others: Iterable[str] = (),
    adapter: "adapt.Adapter | None" = None,
) -> Score:
    """Tone toward `names` (one tracked name's spellings) in a mention's text.

    `text`: the passage around the match (or the item's body); `title`: the item's
    title, if any (when it only names the business, the body is its verdict);
    `others`: other names found in the text (competitors, the organisation's other
    tracked names), whose clauses are not read. Factual notices (hours, closures,
    hiring) are neutral unless clearly polar. Names are blanked out before scoring.
    """
    names = [n for n in names if n and n.strip()]
    text = text or ""
    if title and not text.startswith(title.strip()):
        text = f"{title.strip()}.\n{text}" if text else title
    if not lang:
        lang = detect_language(mask(text, names))
    part = target.toward(text, names, others)
    ignore = [*names, *others]
    tone = score_text(part, lang, ignore=ignore, adapter=adapter)
    if tone.confidence < 1.0 and target.is_notice(part):
        # Judged on its words of tone alone (the review model reads "change de
        # propriétaire" or "recrute" through the complaints they come up in), or on
        # what the organisation's own labels taught when it has some.
        if adapter:
            lean = tone.score
        else:
            words = verdict.shipped(mask(part, ignore), language_code(lang), model=False)
            lean = words.score if words is not None else 0.0
        if abs(lean) < target.NOTICE_MAX:
            return Score("neutral", 0.0, 0.6)
    return tone


def mask(text: str, names: Iterable[str]) -> str:
    """The text with these names (any case) blanked out, longest first."""
    names = sorted((n for n in names if n and n.strip()), key=len, reverse=True)
    if not names or not text:
        return text or ""
    pattern = r"(?<!\w)(?:" + "|".join(re.escape(n.strip()) for n in names) + r")(?!\w)"
    return re.sub(pattern, " ", text, flags=re.IGNORECASE)


# Ratings come as stars / best (monitoring/extract/rating.py): on 5 stars 1 -> 0.2,
# 2 -> 0.4, 3 -> 0.6, 4 -> 0.8, 5 -> 1.0. 1-2 stars are negative, 3 neutral, 4-5
# positive (3.5 too); the score is 0 at 3 stars: 1 -> -1, 2 -> -0.5, 4 -> 0.5, 5 -> 1.
# Other scales use the same cut points: 4/10 negative, 5-6/10 neutral, 7/10 positive.
RATING_NEGATIVE_AT_MOST = 0.4
RATING_POSITIVE_AT_LEAST = 0.7
RATING_NEUTRAL = 0.6


def from_rating(rating: float) -> Score:
    """A review's star rating is its sentiment, with full confidence."""
    rating = min(1.0, max(0.0, float(rating)))
    score = round(max(-1.0, min(1.0, (rating - RATING_NEUTRAL) / 0.4)), 4)
    # A small tolerance: 2/5 or 7/10 stored as 0.39999 or 0.69999 still land right.
    if rating <= RATING_NEGATIVE_AT_MOST + 1e-6:
        label = "negative"
    elif rating >= RATING_POSITIVE_AT_LEAST - 1e-6:
        label = "positive"
    else:
        label = "neutral"
    return Score(label, score, 1.0)
