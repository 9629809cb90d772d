"""Figures printed by `python manage.py evalsentiment`: our scorer against VADER unchanged.

Only test splits (French), VADER's ground truth (English, never trained on), UCI's
real review sentences (dev and held-out parts; the train part is learnt from) and
the team's held-out reviews (never learnt from) are measured. "ours" is what ships
(lexicon, review and polarity models, ratings in the text); "lexicon-only" the same
without the models, to show what they add. Per set and scorer: accuracy and macro F1
over the set's classes (a neutral answer on a 2-class set counts as wrong), and
binary accuracy on clearly polar items (the score's sign; a score of exactly 0
counts as wrong): all items of the 2-class and DEFT sets, |human mean| >= 1.0 on
VADER's (-4..4) sets, where VADER reaches its published 0.98 on tweets. Speed is CPU
time on one core.
"""

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitoring.sentiment import detect_language, learning, score_text, score_toward, verdict
from monitoring.sentiment.model import text_features
from monitoring.tools import sentiment_data as datasets

CLEARLY_POLAR = 1.0
# mentions.LOW_CONFIDENCE: below it a mention is flagged "to check" for a person.
LOW_CONFIDENCE = 0.35
LEARNING_SIZES = (10, 50, 200)
# Real texts a member could correct: French film reviews and tweets, English reviews.
LEARNING_SETS = ("fr-allocine-tv/test", "fr-tweets-deft2017/test", "en-uci-reviews/dev")
LEARNING_SEEDS = 3


@dataclass
class DataSet:
    name: str
    lang: str
    load: Callable[[], list[datasets.Example]]


SETS = [
    DataSet("fr-allocine-tv/test", "fr", lambda: datasets.allocine("test")),
    DataSet("fr-tweets-deft2017/test", "fr", lambda: datasets.deft_tweets("test")),
    DataSet("fr-allocine-films/dev", "fr", lambda: datasets.allocine_films("dev")),
    DataSet("fr-allocine-films/held-out", "fr", lambda: datasets.allocine_films("held_out")),
    DataSet("en-vader-tweets", "en", lambda: datasets.vader_ground_truth("tweets")),
    DataSet("en-vader-nyt", "en", lambda: datasets.vader_ground_truth("nytEditorialSnippets")),
    DataSet("en-uci-reviews/dev", "en", lambda: datasets.uci_sentences("dev")),
    DataSet("en-uci-reviews/held-out", "en", lambda: datasets.uci_sentences("held_out")),
    DataSet("fr-team-reviews/held-out", "fr", lambda: datasets.team_held_out("fr")),
    DataSet("en-team-reviews/held-out", "en", lambda: datasets.team_held_out("en")),
    DataSet("fr-team-reviews/blind", "fr", lambda: datasets.team_held_out("fr", "blind")),
    DataSet("en-team-reviews/blind", "en", lambda: datasets.team_held_out("en", "blind")),
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
    out: Callable[[str], None],
    limit: int | None = None,
    names: list[str] | None = None,
    demo_data=None,
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
        lexical = [verdict.shipped(e.text, ds.lang, model=False) for e in examples]
        preds = {
            "ours": [(s.label, s.score) for s in ours],
            "lexicon-only": [(v.label, v.score) for v in lexical],
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
        flagged, unflagged_acc = to_check(examples, ours)
        results[(ds.name, "to-check")] = (flagged, unflagged_acc)
        out(
            f"{ds.name:26} {'to-check':16} {len(examples):5d} {flagged:6.3f} flagged, "
            f"accuracy {unflagged_acc:.3f} on the others"
        )
        detected = [detect_language(e.text) for e in examples]
        lang_ok = sum(d == ds.lang for d in detected) / len(detected)
        results[(ds.name, "language")] = lang_ok
        out(
            f"{ds.name:26} {'language':16} {len(examples):5d} {lang_ok:6.3f} (detected = {ds.lang})"
        )
    if demo_data is not None and (not names or "demo" in names):
        results["demo"] = demo = demo_figures(demo_data)
        for scorer in ("score_text", "score_toward"):
            d = demo[scorer]
            out(
                f"{'demo mentions':26} {scorer:16} {d['n']:5d} {d['accuracy']:6.3f} accuracy, "
                f"{d['flagged']:.3f} flagged, accuracy {d['unflagged_accuracy']:.3f} on the "
                "others, "
                f"{d['split_pairs']} texts labelled two ways by their closing sentence"
            )
    if not names or "learning" in names:
        for ds in (s for s in SETS if s.name in LEARNING_SETS):
            try:
                examples = ds.load()
            except FileNotFoundError:
                continue
            if limit:
                examples = _spread(examples, max(limit, 400))
            curve = learning_curve(examples, ds.lang)
            results[(ds.name, "learning")] = curve
            out(
                f"{ds.name:26} {'learning':16} accuracy on the rest after N corrections: "
                + ", ".join(f"N={n} {a:.3f}" for n, a in curve.items())
            )
    speeds = _speeds(all_texts)
    results["speed"] = speeds
    out(
        f"speed (CPU, one core): score {speeds['score']:.0f} texts/s, "
        f"detect {speeds['detect']:.0f} texts/s, detect+score {speeds['both']:.0f} texts/s"
    )
    out(_summary(results))
    return results


def to_check(examples, scores) -> tuple[float, float]:
    """(share flagged "to check", accuracy of the labels not flagged)."""
    kept = [(e, s) for e, s in zip(examples, scores, strict=True) if s.confidence >= LOW_CONFIDENCE]
    flagged = 1 - len(kept) / len(examples) if examples else 0.0
    right = sum(e.label == s.label for e, s in kept)
    return flagged, right / len(kept) if kept else 0.0


def learning_curve(examples, lang: str, sizes=LEARNING_SIZES, seeds=LEARNING_SEEDS) -> dict:
    """A member corrects N mentions drawn at random: accuracy on the others, as N grows.

    N=0 is the shipped scorer. The mean over `seeds` draws. The corrected texts are
    the set's own, so this measures learning an organisation's domain and labels.
    """
    curve = {0: sum(score_text(e.text, lang).label == e.label for e in examples) / len(examples)}
    for n in sizes:
        if n >= len(examples):
            continue
        total = 0.0
        for seed in range(seeds):
            order = list(range(len(examples)))
            random.Random(seed).shuffle(order)
            taught = [examples[i] for i in order[:n]]
            rest = [examples[i] for i in order[n:]]
            adapter = learning.learn([(e.text, e.label, lang) for e in taught], seed=seed)
            right = sum(score_text(e.text, lang, adapter=adapter).label == e.label for e in rest)
            total += right / len(rest)
        curve[n] = total / seeds
    return curve


def demo_mentions(data) -> list[tuple]:
    """Every mention the demo's scored sources can produce: (gold, lang, text, names,
    other names in the text, title, text without its closing sentence), from
    monitoring/demo_data.py's templates, each closing sentence and each name (the
    review page's star ratings are not scored). `data`: the demo's data module
    (reputation.demo.data), handed in by the command: the collector knows no demo."""

    tracked = [[data.BUSINESS, *data.ALIASES], [data.MANAGER], [data.PRODUCT]]
    tracked += [[c] for c in data.COMPETITORS]
    fill = [data.BUSINESS, *data.ALIASES, *data.COMPETITORS]
    out = []
    for lang, bank, more in (("fr", data.FR, data.FR_MORE), ("en", data.EN, data.EN_MORE)):
        for tone, template in bank:
            for name in fill:
                base = template.format(b=name, p=data.PRODUCT, m=data.MANAGER)
                title = base.split(" : ")[0].split("!")[0].split(".")[0].split(",")[0]
                for extra in more:
                    text = f"{base} {extra}".strip()
                    found = [t for t in tracked if any(_has(text, n) for n in t)]
                    for names in found:
                        others = [n for t in found if t is not names for n in t]
                        out.append((tone, lang, text, names, others, title, base))
    return out


def _has(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def demo_figures(data) -> dict:
    """Accuracy, share flagged and accuracy of the others on the demo's mentions, as
    mentions.py scores them today (score_text, names blanked) and with score_toward."""
    mentions = demo_mentions(data)
    figures = {}
    for scorer in ("score_text", "score_toward"):
        labels: dict[tuple, set[str]] = {}
        right = flagged = right_kept = 0
        for tone, lang, text, names, others, title, base in mentions:
            if scorer == "score_text":
                s = score_text(text, lang, ignore=names)
            else:
                s = score_toward(text, names, lang, title=title, others=others)
            right += s.label == tone
            if s.confidence < LOW_CONFIDENCE:
                flagged += 1
            else:
                right_kept += s.label == tone
            labels.setdefault((base, tuple(names)), set()).add(s.label)
        n = len(mentions)
        figures[scorer] = {
            "n": n,
            "accuracy": right / n,
            "flagged": flagged / n,
            "unflagged_accuracy": right_kept / max(1, n - flagged),
            "split_pairs": sum(len(v) > 1 for v in labels.values()),
        }
    return figures


def _spread(examples, limit: int):
    # Every k-th example rather than the first ones: the files are sorted by label.
    step = max(1, len(examples) // limit)
    return examples[::step][:limit]


def _speeds(texts: list[str]) -> dict[str, float]:
    if not texts:
        return {"score": 0.0, "detect": 0.0, "both": 0.0}
    langs = [detect_language(t) for t in texts[:50]]  # loads the models before timing
    text_features.cache_clear()  # the sets were scored above: time texts never seen
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
