"""UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015; CC BY 4.0): real review
sentences from Amazon, Yelp and IMDb, split once into train / dev / held-out.

The three files `amazon_cells_labelled.txt`, `yelp_labelled.txt`, `imdb_labelled.txt`
(`sentence<TAB>0|1`) were brought from github:Nanofication/TWC-Naive-Bayes @ 5bc4715
(`Datasets/` and the repository's root) and split by `split()` into
`monitoring/sentiment/corpus/uci/` (see its README.md for the licence). The split
depends on the sentence alone (a digest of its folded words), so it is the same on
every machine and a sentence repeated in two sources falls in one part only:

- train (60 %): learnt from by the English review model (`trainsentiment --shipped`);
- dev (20 %): looked at while choosing the model's settings;
- held-out (20 %): measured once the change was final (`evalsentiment`).
"""

import hashlib
import re
from pathlib import Path

SOURCES = {
    "amazon": "amazon_cells_labelled.txt",
    "yelp": "yelp_labelled.txt",
    "imdb": "imdb_labelled.txt",
}
PARTS = ("train", "dev", "held_out")


def fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def part_of(text: str) -> str:
    bucket = int(hashlib.sha256(fold(text).encode("utf-8")).hexdigest()[:8], 16) % 10
    return "train" if bucket < 6 else "dev" if bucket < 8 else "held_out"


def read_source(path: Path) -> list[tuple[str, str]]:
    """(label, sentence) pairs. The IMDb file breaks two sentences over lines with NEL
    (U+0085): lines without a label are joined to the next."""
    out, pending = [], ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = (pending + " " + line if pending else line).replace("\x85", " ")
        text, sep, label = line.rstrip().rpartition("\t")
        if not sep or label not in ("0", "1"):
            pending = line.strip()
            continue
        pending = ""
        text = " ".join(text.split())
        if text:
            out.append(("positive" if label == "1" else "negative", text))
    return out


def split(raw_dir: Path, out_dir: Path) -> dict[str, int]:
    """Writes `<part>.tsv` (`label<TAB>source<TAB>sentence`), each sentence once."""
    rows: dict[str, list[str]] = {p: [] for p in PARTS}
    seen: set[str] = set()
    for source, name in SOURCES.items():
        for label, text in read_source(Path(raw_dir) / name):
            key = fold(text)
            if not key or key in seen:
                continue
            seen.add(key)
            rows[part_of(text)].append(f"{label}\t{source}\t{text}")
    return write_parts(rows, out_dir)


def write_parts(rows: dict[str, list[str]], out_dir: Path) -> dict[str, int]:
    """One `<part>.tsv` per part (dev, held-out, train); the count of each. Shared with
    the other real sets split the same way (sentiment_allocine)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for part, lines in rows.items():
        (out_dir / f"{part}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {p: len(v) for p, v in rows.items()}


def read(path: Path) -> list[tuple[str, str, str]]:
    """(label, source, sentence) of one part file (of any set written by write_parts)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out
