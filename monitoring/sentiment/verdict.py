"""The shipped verdict on a text, before any organisation's own labels.

Three steps, each optional but the first:
1. lexicon and rules (scorer.raw: french.py, english.py): a score in [-1, 1];
2. the review model (`data/<lang>_reviews_model.json`, an adapt.Adapter): a logistic
   regression that starts from the lexicon's score and adds weights of words (marked
   when negated or set aside), learnt only from the reviews and mentions the team wrote
   for it
   (`corpus/`, see docs/sentiment.md); `manage.py trainsentiment --shipped` rebuilds
   it, and tests/monitoring/test_sentiment_model.py checks the file is what the corpus gives;
3. a star rating written in the text ("4/5", "★★☆☆☆"), which weighs more than words.

An organisation's adapter (adapt.apply) then starts from this verdict's log-odds.
"""

from dataclasses import dataclass
from functools import cache

from monitoring.sentiment import adapt, ratings, scorer
from monitoring.sentiment.model import text_features

THIN = 3  # content words (model.text_features) a text without tone words needs for the model


@dataclass
class Verdict:
    label: str
    score: float  # [-1, 1]
    confidence: float  # [0, 1]
    logits: list[float] | None = None  # the review model's, for an adapter to start from


@cache
def reviews_model(lang: str) -> adapt.Adapter | None:
    path = adapt.model_path(lang)
    if not lang or not path.exists():
        return None
    return adapt.Adapter.from_json(path.read_text(encoding="utf-8"))


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
        label, score, chance = scorer.settle(p, lang)
        if label == "neutral":
            # Neutral: which way the text leans is the lexicon's (the model's lean is
            # the reviews' bias; used only when the lexicon has none), and the score
            # stays inside the neutral band.
            band = 0.99 * scorer.NEUTRAL.get(lang, 0.05)
            score = max(-band, min(band, r.score or score))
        verdict = Verdict(label, score, adapt.confidence(chance), logits)
    else:
        verdict = Verdict(scorer.label_of(r.score, lang), r.score, scorer.confidence(r, lang))
    stars = ratings.in_text(text)
    if stars is not None:
        score = ratings.blend(stars, verdict.score)
        rated = scorer.Raw(score, r.evidence + 1, True)
        verdict = Verdict(scorer.label_of(score, lang), score, scorer.confidence(rated, lang))
    return verdict
