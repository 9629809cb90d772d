"""Labelled data sets used to measure the scorers (never learnt from).

French sets are read where they are, in ../shared/data/sentiment/ beside the project
(or $SENTIMENT_DATA). VADER's English ground truth (tweets, NYT editorial snippets)
is copied in tests/fixtures/vader_icwsm2014/ with its origin and MIT licence. The
team's held-out reviews are monitoring/sentiment/corpus/held_out/ (see
corpus/README.md).

Every set yields `Example(text, label, gold)`: label is "negative", "neutral" or
"positive"; gold is the human mean score when there is one (VADER's sets, -4..4).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from monitoring.tools import sentiment_allocine, sentiment_uci
from monitoring.tools.shared_data import shared_data

ROOT = Path(__file__).resolve().parents[2]
LABELS = ("negative", "neutral", "positive")


@dataclass
class Example:
    text: str
    label: str
    gold: float | None = None


def shared_dir() -> Path:
    return Path(os.environ.get("SENTIMENT_DATA") or shared_data("sentiment"))


def vader_dir() -> Path:
    return ROOT / "tests" / "fixtures" / "vader_icwsm2014"


def deft_tweets(split: str) -> list[Example]:
    """DEFT 2017 French tweets, 3 classes; split is train, val or test."""
    base = shared_dir() / "fr-tweets-deft2017"
    texts = (base / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (base / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()
    return [Example(t, LABELS[int(lab)]) for t, lab in zip(texts, labels, strict=True)]


def allocine(split: str) -> list[Example]:
    """Allociné TV-series reviews, 2 classes; split is train, dev or test."""
    out = []
    path = shared_dir() / "fr-allocine-tv" / f"{split}.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if text:
            out.append(Example(text, "positive" if label.strip() == "1" else "negative"))
    return out


def vader_ground_truth(name: str) -> list[Example]:
    """VADER's tweets or nytEditorialSnippets: `id<TAB>mean<TAB>text`, mean in -4..4.

    The label is neutral for |mean| < 0.5 (VADER's own reading of its ground truth
    uses the sign; the neutral band only serves the 3-class figures).
    """
    out = []
    path = vader_dir() / f"{name}_GroundTruth.txt"
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            gold = float(parts[1])
            label = "neutral" if abs(gold) < 0.5 else "positive" if gold > 0 else "negative"
            out.append(Example(parts[2], label, gold))
    return out


CORPUS_LABELS = {"1/5": "negative", "2/5": "negative", "4/5": "positive", "5/5": "positive"}


def team_held_out(lang: str, name: str = "reviews") -> list[Example]:
    """The team's held-out reviews in `lang` (2 classes), written by other writers than
    the training corpus and never learnt from: `name` "reviews" (also a development
    set for the model's settings) or "blind" (measured once, after)."""
    path = ROOT / "monitoring" / "sentiment" / "corpus" / "held_out" / f"{lang}_{name}.tsv"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        label = CORPUS_LABELS.get(label, label)
        if text and label in LABELS:
            out.append(Example(text, label))
    return out


def uci_sentences(part: str) -> list[Example]:
    """UCI's real Amazon, Yelp and IMDb review sentences (CC BY 4.0), 2 classes; part is
    "dev" or "held_out" ("train" is learnt from). See corpus/uci/README.md."""
    path = ROOT / "monitoring" / "sentiment" / "corpus" / "uci" / f"{part}.tsv"
    return [Example(text, label) for label, _, text in sentiment_uci.read(path)]


def allocine_films(part: str) -> list[Example]:
    """Real Allociné film reviews (Blard's corpus, MIT), 2 classes; part is "dev" or
    "held_out" ("train" is learnt from). See corpus/allocine/README.md."""
    path = ROOT / "monitoring" / "sentiment" / "corpus" / "allocine" / f"{part}.tsv"
    return [Example(text, label) for label, _, text in sentiment_allocine.read(path)]
