"""Learning an adapter (adapt.Adapter) from labelled texts, on top of the shipped
verdict (verdict.py), which itself reads the shipped review models as adapters: the
model (adapt) comes first, the verdict reads it, learning builds on both.
"""

import math
import random
from collections.abc import Iterable

from monitoring.normalise import language_code
from monitoring.sentiment import verdict
from monitoring.sentiment.adapt import (
    EPOCHS,
    L2,
    LABELS,
    RATE,
    Adapter,
    K,
    model_version,
    normalise_label,
    text_key,
)
from monitoring.sentiment.language import detect_language
from monitoring.sentiment.model import text_features


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
    rows = []
    adapter = Adapter(prior=prior, shipped=model_version() if shipped else "")
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
