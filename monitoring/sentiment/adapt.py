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

import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitoring.normalise import language_code
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
    # verdict.model_version() of the review models it was learnt on top of ("": none,
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
        from monitoring.sentiment import verdict

        return bool(self.shipped) and self.shipped != verdict.model_version()

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


def learn(
    examples: Iterable,
    seed: int = 0,
    l2: float | None = None,
    epochs: int = EPOCHS,
    shipped: bool = True,
    balanced: bool = False,
    prior: float = K,
) -> Adapter:
    """An adapter from (text, label) or (text, label, lang) examples.

    lang is "fr" or "en" ("" or missing: detected). Labels are normalise_label's.
    Texts should be scored as they will be at run time (the mention's text, with the
    organisation's names blanked out by `mask`). The adapter starts from the shipped
    verdict (verdict.py); `shipped=False` starts from the lexicon alone, which is
    how the shipped review model itself is learnt. `balanced`: each label weighs as
    much as the others whatever its count (a corpus of reviews has few neutral texts;
    the mentions a business gets have many). `prior`: Adapter.prior. `l2`: the pull
    towards "no change" per step (default: L2 shared out over the examples).
    """
    from monitoring.sentiment import verdict
    from monitoring.sentiment.language import detect_language

    rows = []
    adapter = Adapter(prior=prior, shipped=verdict.model_version() if shipped else "")
    for ex in examples:
        text, label = ex[0], normalise_label(ex[1])
        lang = language_code(ex[2] if len(ex) > 2 else "") or detect_language(text) or "fr"
        v = verdict.shipped(text, lang, model=shipped) if text.strip() else None
        if v is None:
            continue
        key = text_key(text)
        if key:
            adapter.memory[key] = label
        feats = sorted(text_features(text, lang))
        rows.append((v.score, feats, lang, LABELS.index(label), v.logits))
    adapter.examples = len(rows)
    if not rows:
        return adapter
    counts = [sum(r[3] == c for r in rows) for c in range(3)]
    present = sum(1 for n in counts if n)
    share = [len(rows) / (present * n) if n and balanced else 1.0 for n in counts]
    _fit(adapter, rows, seed, L2 / len(rows) if l2 is None else l2, epochs, share)
    return adapter


def _fit(adapter: Adapter, rows, seed: int, l2: float, epochs: int, share) -> None:
    # Stochastic gradient descent with AdaGrad steps on the cross-entropy; every
    # weight decays towards 0, so words seen once or twice change little.
    rng = random.Random(seed)
    order = list(range(len(rows)))
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            score, feats, lang, gold, start = rows[i]
            adapter.weights = weights
            p = adapter.probabilities(score, feats, lang, start)
            scale = 1 / math.sqrt(len(feats)) if feats else 0.0
            fixed = [("__bias__", 1.0), ("__base__", score), ("__strength__", abs(score))]
            inputs = fixed + [(f, scale) for f in feats]
            for c in range(3):
                g = (p[c] - (1.0 if c == gold else 0.0)) * share[gold]
                for name, x in inputs:
                    w = weights.setdefault(name, [0.0, 0.0, 0.0])
                    s = squares.setdefault(name, [1e-6, 1e-6, 1e-6])
                    grad = g * x + l2 * w[c]
                    s[c] += grad * grad
                    w[c] -= RATE * grad / math.sqrt(s[c])
    adapter.bias = weights.pop("__bias__", [0.0, 0.0, 0.0])
    adapter.base = weights.pop("__base__", [0.0, 0.0, 0.0])
    adapter.strength = weights.pop("__strength__", [0.0, 0.0, 0.0])
    adapter.weights = {k: v for k, v in weights.items() if max(map(abs, v)) >= 0.01}


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
