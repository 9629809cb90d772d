"""Per-organisation learning: an organisation's own labels adjust its future scoring.

Django-free. The product side builds one `Adapter` per organisation from that
organisation's examples, and passes it when scoring that organisation's mentions:

    adapter = adapt.learn([(text, label, lang), ...])   # corrections, rated reviews
    score_text(text, lang, ignore=names, adapter=adapter)
    score_toward(text, names, lang, title=title, adapter=adapter)

Examples are a member's corrections (the mention's scored text and the label the
member chose) and reviews collected from the organisation's sources with a star
rating (the review's text and `from_rating(rating).label`). Another organisation's
scoring never changes: nothing is global, the adapter is an ordinary value
(`to_json()` / `Adapter.from_json()` to store or cache it).

What it learns (pure Python, milliseconds for hundreds of examples):
- a memory of the texts themselves: a text corrected once gets the member's label
  again (the same story re-published, the same review copied to another site);
- weights per word, negated word and set-aside word (model.text_features) for each
  label, on top of the shipped verdict (verdict.py), which is the starting point: with no
  example, or with words it has never seen, the adapter changes nothing. A small
  multinomial logistic regression, strongly regularised towards "no change".
"""

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from monitoring.sentiment import scorer
from monitoring.sentiment.model import text_features
from monitoring.sentiment.text import tokens

LABELS = ("negative", "neutral", "positive")
# The shipped scorer's verdict as log-odds: positive is K x (score - threshold) above
# neutral, so that with no learnt weight the adapter gives the scorer's own label.
K = 10.0
# Pull of every weight towards 0 ("no change"): a fixed total, shared out over the
# examples at each step (L2 / n), so that ten corrections move little and two hundred
# more. Measured by evalsentiment's learning curve (docs/sentiment.md).
L2 = 40.0
RATE = 0.3
EPOCHS = 40


# What an adapter's weights mean. 3: they start from the shipped verdict's log-odds (the
# review model's, named by `shipped`) and weigh single words marked non_/pre_. Older
# ones are not applied but learnt again from the same labels: 1 weighed word pairs on
# top of the lexicon alone; 2 named no review model (some were learnt while it was off).
FORMAT = 3


def text_key(text: str) -> str:
    """The words of a text, lower-case, accent-free, without numbers or punctuation."""
    return " ".join(t for t in tokens(text) if t[0].isalpha())


# The shipped review models (verdict.py) are adapters saved here, one per language.
DATA = Path(__file__).resolve().parent / "data"


def model_path(lang: str) -> Path:
    return DATA / f"{lang}_reviews_model.json"


def polarity_path(lang: str) -> Path:
    """Which way a polar text leans, learnt from real reviews too (verdict.py); English only."""
    return DATA / f"{lang}_polarity_model.json"


@cache
def model_version() -> str:
    """Which review models ship: an organisation's adapter learnt on other ones starts
    from other log-odds, and is learnt again (Adapter.stale)."""
    digest = hashlib.sha256()
    for lang in ("fr", "en"):
        for path in (model_path(lang), polarity_path(lang)):
            digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:12]


@dataclass
class Adapter:
    weights: dict[str, list[float]] = field(default_factory=dict)  # feature -> per label
    bias: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    base: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])  # x the score
    strength: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])  # x |score|
    memory: dict[str, str] = field(default_factory=dict)  # text_key -> label
    examples: int = 0
    # How far the score's own label is trusted before any learnt weight (log-odds per
    # unit of score past the threshold): K for an organisation's adapter, whose
    # few examples must not overturn the scorer; the shipped review model learns it.
    prior: float = K
    format: int = FORMAT
    # model_version() of the review models it was learnt on top of ("": none,
    # as the review models themselves, learnt from the lexicon alone).
    shipped: str = ""

    def __bool__(self) -> bool:
        return self.examples > 0 and not self.stale

    @property
    def stale(self) -> bool:
        """Learnt by an older version, or on top of other review models: its weights
        mean something else now, and it is learnt again from the same labels."""
        if self.format != FORMAT:
            return True
        return bool(self.shipped) and self.shipped != model_version()

    def probabilities(self, score: float, feats: Iterable[str], lang: str, start=None):
        return softmax(self.logits(score, list(feats), lang, start))

    def logits(self, score: float, feats: list[str], lang: str, start=None) -> list[float]:
        """Log-odds of (negative, neutral, positive). The starting point is `start`,
        the log-odds of the model before this one (verdict.py), or else the score's:
        prior x (score - threshold), the scorer's own label."""
        if start is not None:
            z = list(start)
        else:
            t = scorer.NEUTRAL.get(lang, 0.05)
            z = [self.prior * (-score - t), 0.0, self.prior * (score - t)]
        scale = 1 / math.sqrt(len(feats)) if feats else 0.0
        for c in range(3):
            z[c] += self.bias[c] + self.base[c] * score + self.strength[c] * abs(score)
        for f in feats:
            w = self.weights.get(f)
            if w:
                for c in range(3):
                    z[c] += w[c] * scale
        return z

    def to_json(self) -> str:
        data = {
            "weights": {k: [round(x, 4) for x in v] for k, v in self.weights.items()},
            "bias": [round(x, 4) for x in self.bias],
            "base": [round(x, 4) for x in self.base],
            "strength": [round(x, 4) for x in self.strength],
            "memory": self.memory,
            "examples": self.examples,
            "prior": self.prior,
            "format": self.format,
            "shipped": self.shipped,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> "Adapter":
        data = json.loads(raw)
        return cls(
            data["weights"],
            data["bias"],
            data["base"],
            data.get("strength", [0.0, 0.0, 0.0]),
            data["memory"],
            data["examples"],
            data.get("prior", K),
            data.get("format", 1),
            data.get("shipped", ""),
        )


def normalise_label(label) -> str:
    """ "negative"/"neutral"/"positive", -1/0/1, or the 0/1/2 of DEFT's files."""
    text = str(label).strip().lower()
    aliases = {"-1": "negative", "neg": "negative", "0": "neutral", "neu": "neutral"}
    aliases |= {"1": "positive", "pos": "positive", "+1": "positive"}
    text = aliases.get(text, text)
    if text not in LABELS:
        raise ValueError(f"unknown label: {label!r}")
    return text


def apply(adapter: Adapter | None, text: str, lang: str, score: float, start=None):
    """(label, score, confidence) after the organisation's own labels, or None when the
    adapter has nothing to say (no adapter, no example). `score` and `start` are the
    shipped verdict's score and log-odds (verdict.Verdict)."""
    if not adapter:
        return None
    label = adapter.memory.get(text_key(text))
    if label is not None:
        return label, {"negative": -1.0, "neutral": 0.0, "positive": 1.0}[label], 1.0
    p = adapter.probabilities(score, text_features(text, lang), lang, start)
    label, score, chance = scorer.settle(p, lang)
    return label, round(score, 4), confidence(chance)


def confidence(p: float) -> float:
    """A learnt model's probability of its label, as a confidence in [0, 1].

    On the scale of the lexicon's (scorer.confidence): 0.35, where a person checks
    (mentions.LOW_CONFIDENCE), is a label right about half the time, which a
    probability of 0.5 is for the review model on the held-out texts and on DEFT's
    tweets (docs/sentiment.md); a probability of 1 is 1."""
    return round(max(0.0, min(1.0, 1.3 * p - 0.3)), 3)


def softmax(z: list[float]) -> list[float]:
    top = max(z)
    e = [math.exp(x - top) for x in z]
    total = sum(e)
    return [x / total for x in e]
