"""The French valence lexicon: published lexicons merged, our own list on top.

Sources (licences in docs/sentiment.md):
- data/fr_vader_lexicon.txt: vaderSentiment-fr 1.3.4 (MIT), VADER's lexicon translated
  by hand, `word->valence` on VADER's -4..4 scale;
- data/fr_textblob_polarity.tsv: textblob-fr 0.2.0 adjective polarities (PDDL), -1..1,
  scaled by 3 to VADER's scale;
- data/fr_neutralised.txt: words of those two that the training texts contradict,
  set to 0 (written by `manage.py trainsentiment`, see train.neutralised_words);
- data/fr_extra.tsv: our review and service vocabulary; it wins over all.
Keys are accent-free lower-case (text.fold); phrases are space-joined tokens.
"""

from functools import cache
from pathlib import Path

from monitoring.sentiment.text import fold, tokens

DATA = Path(__file__).resolve().parent / "data"
NEUTRALISED = DATA / "fr_neutralised.txt"
TEXTBLOB_SCALE = 3.0


@cache
def extra_keys() -> frozenset[str]:
    return frozenset(_key(w) for w, _ in _tsv("fr_extra.tsv"))


@cache
def french(use_neutralised: bool = True) -> tuple[dict[str, float], dict[str, float]]:
    """(words, phrases): valences keyed by folded word or by space-joined tokens."""
    merged: dict[str, list[float]] = {}
    for line in (DATA / "fr_vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        word, sep, value = line.rpartition("->")
        if sep and word.replace(" ", "").replace("-", "").isalpha():
            merged.setdefault(_key(word), []).append(float(value))
    for word, value in _tsv("fr_textblob_polarity.tsv"):
        merged.setdefault(_key(word), []).append(float(value) * TEXTBLOB_SCALE)
    lexicon = {k: sum(v) / len(v) for k, v in merged.items()}
    if use_neutralised and NEUTRALISED.exists():
        for line in NEUTRALISED.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                lexicon[line.strip()] = 0.0
    lexicon.update((_key(w), float(v)) for w, v in _tsv("fr_extra.tsv"))
    words = {k: v for k, v in lexicon.items() if " " not in k}
    phrases = {k: v for k, v in lexicon.items() if " " in k}
    return words, phrases


def _key(text: str) -> str:
    toks = tokens(text)
    return " ".join(toks) if toks else fold(text)


def _tsv(name: str):
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")[:2]
            yield word, value
