"""Figures printed by `python manage.py evalsentiment`: our scorer against VADER unchanged.

Only test splits (French) and VADER's ground truth (English, never trained or tuned
on) are measured. Per set and scorer: accuracy and macro F1 over the set's classes
(a neutral answer on a 2-class set counts as wrong), and binary accuracy on clearly
polar items (the score's sign; a score of exactly 0 counts as wrong): all items of
the 2-class and DEFT sets, |human mean| >= 1.0 on VADER's (-4..4) sets, where
VADER reaches its published 0.98 on tweets. Speed is CPU time on one core.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitoring.sentiment import datasets, detect_language, score_text

CLEARLY_POLAR = 1.0


@dataclass
class DataSet:
    name: str
    lang: str
    load: Callable[[], list[datasets.Example]]


SETS = [
    DataSet("fr-allocine-tv/test", "fr", lambda: datasets.allocine("test")),
    DataSet("fr-tweets-deft2017/test", "fr", lambda: datasets.deft_tweets("test")),
    DataSet("en-vader-tweets", "en", lambda: datasets.vader_ground_truth("tweets")),
    DataSet("en-vader-nyt", "en", lambda: datasets.vader_ground_truth("nytEditorialSnippets")),
]


@dataclass
class Result:
    accuracy: float
    macro_f1: float
    binary: float
    binary_n: int


def _vader_scorer():
    vader = SentimentIntensityAnalyzer()

    def score(text: str, lang: str) -> float:
        return vader.polarity_scores(text)["compound"]

    return score


def _label(score: float, threshold: float) -> str:
    return "positive" if score >= threshold else "negative" if score <= -threshold else "neutral"


def measure(examples, predictions: list[tuple[str, float]]) -> Result:
    gold = [e.label for e in examples]
    labels = sorted(set(gold))
    accuracy = sum(g == p for g, (p, _) in zip(gold, predictions, strict=True)) / len(gold)
    f1s = []
    for c in labels:
        tp = sum(g == c and p == c for g, (p, _) in zip(gold, predictions, strict=True))
        fp = sum(g != c and p == c for g, (p, _) in zip(gold, predictions, strict=True))
        fn = sum(g == c and p != c for g, (p, _) in zip(gold, predictions, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    polar = [
        (e, s)
        for e, (_, s) in zip(examples, predictions, strict=True)
        if e.label != "neutral" and (e.gold is None or abs(e.gold) >= CLEARLY_POLAR)
    ]
    right = sum(
        (s > 0 and e.label == "positive") or (s < 0 and e.label == "negative") for e, s in polar
    )
    return Result(accuracy, sum(f1s) / len(f1s), right / len(polar) if polar else 0.0, len(polar))


def run(
    out: Callable[[str], None], limit: int | None = None, names: list[str] | None = None
) -> dict:
    """Print the figures; returns {(set, scorer): Result} and the speeds, for tests."""
    vader = _vader_scorer()
    results: dict = {}
    all_texts: list[str] = []
    out(
        f"{'data set':26} {'scorer':16} {'n':>5} {'acc':>6} {'macroF1':>8} {'binary':>7} {'(n)':>6}"
    )
    for ds in SETS:
        if names and ds.name not in names:
            continue
        try:
            examples = ds.load()
        except FileNotFoundError as exc:
            out(f"{ds.name:26} skipped: {exc.filename} not found")
            continue
        if limit:
            examples = _spread(examples, limit)
        all_texts.extend(e.text for e in examples)
        ours = [score_text(e.text, ds.lang) for e in examples]
        preds = {
            "ours": [(s.label, s.score) for s in ours],
            "vader-unchanged": [
                (_label(v, 0.05), v) for v in (vader(e.text, "") for e in examples)
            ],
        }
        for scorer, p in preds.items():
            r = measure(examples, p)
            results[(ds.name, scorer)] = r
            out(
                f"{ds.name:26} {scorer:16} {len(examples):5d} {r.accuracy:6.3f} {r.macro_f1:8.3f} "
                f"{r.binary:7.3f} {r.binary_n:6d}"
            )
        detected = [detect_language(e.text) for e in examples]
        lang_ok = sum(d == ds.lang for d in detected) / len(detected)
        results[(ds.name, "language")] = lang_ok
        out(
            f"{ds.name:26} {'language':16} {len(examples):5d} {lang_ok:6.3f} (detected = {ds.lang})"
        )
    speeds = _speeds(all_texts)
    results["speed"] = speeds
    out(
        f"speed (CPU, one core): score {speeds['score']:.0f} texts/s, "
        f"detect {speeds['detect']:.0f} texts/s, detect+score {speeds['both']:.0f} texts/s"
    )
    out(_summary(results))
    return results


def _spread(examples, limit: int):
    # Every k-th example rather than the first ones: the files are sorted by label.
    step = max(1, len(examples) // limit)
    return examples[::step][:limit]


def _speeds(texts: list[str]) -> dict[str, float]:
    if not texts:
        return {"score": 0.0, "detect": 0.0, "both": 0.0}
    langs = [detect_language(t) for t in texts[:50]]  # loads the models before timing
    start = time.process_time()
    langs = [detect_language(t) for t in texts]
    detect = time.process_time() - start
    start = time.process_time()
    for text, lang in zip(texts, langs, strict=True):
        score_text(text, lang if lang in ("fr", "en") else "fr")
    score = time.process_time() - start
    n = len(texts)
    return {"score": n / score, "detect": n / detect, "both": n / (score + detect)}


def _summary(results: dict) -> str:
    parts = []
    for (name, scorer), r in sorted((k, v) for k, v in results.items() if isinstance(k, tuple)):
        if scorer == "ours":
            parts.append(f"{name} acc {r.accuracy:.3f} F1 {r.macro_f1:.3f} bin {r.binary:.3f}")
    return f"summary: {'; '.join(parts)}; {results['speed']['both']:.0f} texts/s"
