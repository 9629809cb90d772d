"""Allociné film reviews (Théophile Blard's corpus, MIT): real French reviews, written by
Allociné's users, split once into train / dev / held-out.

The corpus (200,000 reviews, "French sentiment analysis with BERT", 2020) is too large
to bring here; a stratified sample of it was: github:rachigh/french-sentiment-analysis-allocine
@ 65a6115, `data/train_data_allocine.csv` (2,000 reviews of the corpus's train split),
`data/test_data_allocine.csv` (400) and `data/test_data_allocine_full.csv` (1,000), both
from its test split (`text,label`: 1 positive, 0 negative, i.e. 4 stars and more, 2 and
less). See `monitoring/sentiment/corpus/allocine/README.md` for the licence.

The corpus's splits hold disjoint sets of films, and so do ours: what the model learns
from comes from its train split, what is measured from its test split, so no film's
name or plot can carry a label from training to measure. `split()` writes:

- train: the train split's reviews, learnt from by the French polarity model
  (`trainsentiment --shipped`);
- dev (half of the test split's, by a digest of the review's words): looked at while
  choosing settings;
- held-out (the other half): measured once the change was final (`evalsentiment`).
"""

import csv
import hashlib
import io
from pathlib import Path

from monitoring.tools.sentiment_uci import PARTS, fold, read, write_parts

# file -> the corpus split its reviews were sampled from
SOURCES = {
    "train_data_allocine.csv": "train",
    "test_data_allocine.csv": "test",
    "test_data_allocine_full.csv": "test",
}


def part_of(text: str, split: str) -> str:
    if split == "train":
        return "train"
    bucket = int(hashlib.sha256(fold(text).encode("utf-8")).hexdigest()[:8], 16) % 2
    return "dev" if bucket == 0 else "held_out"


def read_source(path: Path) -> list[tuple[str, str]]:
    """(label, review) pairs of one CSV file (`text,label`, quoted as pandas writes)."""
    out = []
    rows = csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8")))
    for row in rows:
        if len(row) != 2 or row[1] not in ("0", "1"):
            continue  # the header, or a broken line
        text = " ".join(row[0].split())
        if text:
            out.append(("positive" if row[1] == "1" else "negative", text))
    return out


def split(raw_dir: Path, out_dir: Path) -> dict[str, int]:
    """Writes `<part>.tsv` (`label<TAB>split<TAB>review`), each review once; a review
    found in both of the corpus's splits is kept in train only (never measured)."""
    rows: dict[str, list[str]] = {p: [] for p in PARTS}
    seen: set[str] = set()
    # train first: a review repeated in the test split is then skipped there
    for name, corpus_split in sorted(SOURCES.items(), key=lambda kv: kv[1] != "train"):
        for label, text in read_source(Path(raw_dir) / name):
            key = fold(text)
            if not key or key in seen:
                continue
            seen.add(key)
            rows[part_of(text, corpus_split)].append(f"{label}\t{corpus_split}\t{text}")
    return write_parts(rows, out_dir)


__all__ = ["read", "split"]  # read: the part files are those of sentiment_uci
