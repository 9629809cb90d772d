"""`manage.py trainsentiment`: weights learnt from data one is entitled to use.

Two uses:
- `--shipped`: the review model that ships (verdict.py), learnt from the corpus the
  team wrote for it, `monitoring/sentiment/corpus/train/<lang>_*.tsv`, and from nothing
  else (the workplace's DEFT 2017 and Allociné TV sets are for tests and evaluation
  only); and each language's polarity model, from that corpus and the train part of a
  real set whose licence allows it (`REAL`). Deterministic:
  tests/monitoring/test_sentiment_model.py checks the shipped files are what the data
  gives.
- `--data FILE --out FILE`: an operator with labelled texts of their own (their
  customers' reviews, their members' corrections, a licensed corpus) trains an adapter
  (adapt.py) and passes it to the scorer (`score --adapter FILE`, or
  `Adapter.from_json` in code).

The file: one example per line, `label<TAB>text`, label negative/neutral/positive,
-1/0/1, or a star rating such as `4/5` (from_rating's cut points). Lines starting
with "#" are skipped. `lang` is detected per text unless given.
"""

from pathlib import Path

from monitoring.sentiment import adapt, from_rating, learning, verdict
from monitoring.tools import sentiment_allocine, sentiment_uci

CORPUS = Path(verdict.__file__).resolve().parent / "corpus"
# Chosen by leaving one of the corpus's kinds of business out in turn (docs/sentiment.md):
# the review model's words must hold on a kind of business it never read.
SHIPPED_L2 = 0.02
SHIPPED_EPOCHS = 40
# How far the lexicon's own label is trusted before the words' weights (adapt.Adapter.prior).
# French: less than an organisation's adapter trusts it (adapt.K = 10), the corpus being
# large enough to correct a lexicon translated from English. English: as much, VADER's
# lexicon being rated by people (its clearly polar tweets stay 97 % right only so).
SHIPPED_PRIOR = {"fr": 3.0, "en": adapt.K}
# Added to the neutral label's log-odds after learning. Reviews are nearly always for or
# against; the mentions a business gets are mostly news and questions, which must stay
# neutral at least as often as with the lexicon alone. French: the smallest shift, in
# steps of 0.5, that does so on the corpus's neutral texts left out in turn. English:
# the smallest that keeps VADER's 3-class macro F1 on its development sets (tweets, NYT
# editorials: news-like text) within half a point (1.0 kept tweets, not editorials).
NEUTRAL_SHIFT = {"fr": 1.0, "en": 1.5}
# The polarity model (verdict.POLARITY_GATE) trusts the lexicon less than the review
# model: real reviews say which way they lean without words of tone. Chosen on UCI's dev
# part (3 against 10: 0.880 against 0.864 of its polar sentences' sides right).
POLARITY_PRIOR = 3.0
# Real labelled text whose licence allows learning from it, per language (docs/sentiment.md,
# "Sources and licences"): UCI's sentences (CC BY 4.0) in English, Allociné film reviews
# from Blard's corpus (MIT) in French; each set's train part only.
REAL = {
    "en": (sentiment_uci.read, CORPUS / "uci" / "train.tsv"),
    "fr": (sentiment_allocine.read, CORPUS / "allocine" / "train.tsv"),
}


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
    adapter = learning.learn(read_examples(path, lang))
    Path(out).write_text(adapter.to_json(), encoding="utf-8")
    return adapter


def corpus(lang: str, part: str = "train") -> list[tuple[str, str, str]]:
    """The team's labelled texts in `lang`: part "train" (learnt from) or "held_out"."""
    out = []
    for path in sorted((CORPUS / part).glob(f"{lang}_*.tsv")):
        out.extend(read_examples(path, lang))
    return out


def learn_shipped(lang: str, examples=None) -> adapt.Adapter:
    """The review model from the corpus (or `examples`), without its memory of texts:
    it must generalise, not recall its own lines."""
    model = learning.learn(
        corpus(lang) if examples is None else examples,
        l2=SHIPPED_L2,
        epochs=SHIPPED_EPOCHS,
        shipped=False,
        balanced=True,
        prior=SHIPPED_PRIOR[lang],
    )
    model.memory = {}
    model.bias[1] += NEUTRAL_SHIFT[lang]
    return model


def real(lang: str) -> list[tuple[str, str, str]]:
    """The real reviews `lang`'s polarity model learns from (the train part of UCI's
    sentences in English, of the Allociné film reviews in French)."""
    if lang not in REAL:
        return []
    read, path = REAL[lang]
    return [(text, label, lang) for label, _, text in read(path)]


def learn_polarity(lang: str, examples=None) -> adapt.Adapter | None:
    """Which way a polar text leans, learnt from the corpus and real reviews (None for a
    language without real ones): verdict.py reads only its negative/positive split."""
    if examples is None:
        if not real(lang):
            return None
        examples = corpus(lang) + real(lang)
    model = learning.learn(
        examples,
        l2=SHIPPED_L2,
        epochs=SHIPPED_EPOCHS,
        shipped=False,
        balanced=True,
        prior=POLARITY_PRIOR,
    )
    model.memory = {}
    return model


def train_shipped(lang: str) -> adapt.Adapter:
    model = learn_shipped(lang)
    adapt.model_path(lang).write_text(model.to_json() + "\n", encoding="utf-8")
    polarity = learn_polarity(lang)
    if polarity is not None:
        adapt.polarity_path(lang).write_text(polarity.to_json() + "\n", encoding="utf-8")
    verdict.reviews_model.cache_clear()
    verdict.polarity_model.cache_clear()
    adapt.model_version.cache_clear()
    return model
