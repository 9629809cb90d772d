"""`manage.py trainsentiment`: weights learnt from data the operator is entitled to use.

Nothing learnt ships with the product (the workplace's DEFT 2017 and Allociné sets are
for tests and evaluation only). An operator with labelled texts of their own (their
customers' reviews, their members' corrections, a licensed corpus) trains an adapter
(adapt.py) from a file and passes it to the scorer (`score --adapter FILE`, or
`Adapter.from_json` in code).

The file: one example per line, `label<TAB>text`, label negative/neutral/positive,
-1/0/1, or a star rating such as `4/5` (from_rating's cut points). Lines starting
with "#" are skipped. `lang` is detected per text unless given.
"""

from pathlib import Path

from monitoring.sentiment import adapt, from_rating


def read_examples(path: str | Path, lang: str = "") -> list[tuple[str, str, str]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition("\t")
        if not sep or not text.strip():
            continue
        label = label.strip()
        if "/" in label:
            stars, best = label.split("/", 1)
            label = from_rating(float(stars.replace(",", ".")) / float(best)).label
        out.append((text, adapt.normalise_label(label), lang))
    return out


def train(path: str | Path, out: str | Path, lang: str = "") -> adapt.Adapter:
    adapter = adapt.learn(read_examples(path, lang))
    Path(out).write_text(adapter.to_json(), encoding="utf-8")
    return adapter
