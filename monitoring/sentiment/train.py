"""Training of the French model (model.py), reproducible: same data, same file.

Trained on the *train* splits only: Allociné TV reviews (positive/negative) and the
polar DEFT 2017 tweets (neutral ones left out: the model says positive vs negative;
neutrality comes from the strength of the combined score). Dev/val splits serve to
choose C; test splits are for evalsentiment alone.
"""

import gzip
import json
import math

from monitoring.sentiment import datasets, lexicon
from monitoring.sentiment.model import MODEL_FILE, analyzer
from monitoring.sentiment.text import tokens

# Words of one domain (TV series) must not decide reviews of another: strong
# regularisation, and only features seen in several texts.
DEFAULT_C = 1.0
MIN_DF = 3
KEEP_ABOVE = 0.02  # smaller weights are dropped from the shipped file


def training_set() -> tuple[list[str], list[int]]:
    examples = datasets.allocine("train") + [
        e for e in datasets.deft_tweets("train") if e.label != "neutral"
    ]
    # The published splits overlap (50 Allociné test reviews are also in train, 27 dev
    # ones, 1 DEFT test tweet): those are left out of training, never learnt from.
    held_out = {e.text for e in datasets.allocine("dev") + datasets.allocine("test")}
    held_out |= {e.text for e in datasets.deft_tweets("val") + datasets.deft_tweets("test")}
    examples = [e for e in examples if e.text not in held_out]
    return [e.text for e in examples], [int(e.label == "positive") for e in examples]


def fit(c: float = DEFAULT_C):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import Normalizer

    texts, y = training_set()
    vec = CountVectorizer(analyzer=analyzer, binary=True, min_df=MIN_DF)
    x = Normalizer().fit_transform(vec.fit_transform(texts))
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=0)
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    weights = {
        str(n): round(float(w), 3)
        for n, w in zip(names, clf.coef_[0], strict=True)
        if abs(w) >= KEEP_ABOVE
    }
    return float(clf.intercept_[0]), weights, len(texts)


def save(bias: float, weights: dict[str, float]) -> None:
    payload = json.dumps({"bias": round(bias, 4), "weights": weights}, sort_keys=True)
    # mtime=0: the same model gives the same bytes, so git sees no change.
    with open(MODEL_FILE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(payload.encode("utf-8"))


# Lexicon words (from the published lexicons, never our own list) that the training
# texts contradict: seen in at least MIN_TEXTS texts, and either leaning the other way
# (|log odds| >= CONTRADICT) or spread evenly over both classes while the lexicon says
# they are strong (|log odds| < EVEN and |valence| >= STRONG). Mostly mistranslations
# and function words ("sur" from "sure", "part", "queue"...).
MIN_TEXTS = 8
CONTRADICT = 0.25
EVEN = 0.1
STRONG = 1.0


def neutralised_words(texts: list[str], y: list[int]) -> list[str]:
    words, _ = lexicon.french(use_neutralised=False)
    ours = lexicon.extra_keys()
    pos, neg = {}, {}
    for text, label in zip(texts, y, strict=True):
        for tok in set(tokens(text)):
            if tok in words and tok not in ours:
                counts = pos if label else neg
                counts[tok] = counts.get(tok, 0) + 1
    n_pos, n_neg = sum(y), len(y) - sum(y)
    out = []
    for word in sorted(set(pos) | set(neg)):
        p, n = pos.get(word, 0), neg.get(word, 0)
        if p + n < MIN_TEXTS:
            continue
        log_odds = math.log((p + 1) / (n_pos + 2)) - math.log((n + 1) / (n_neg + 2))
        valence = words[word]
        if (log_odds * valence < 0 and abs(log_odds) >= CONTRADICT) or (
            abs(log_odds) < EVEN and abs(valence) >= STRONG
        ):
            out.append(word)
    return out


def save_neutralised(words: list[str]) -> None:
    header = (
        "# Written by `manage.py trainsentiment` (train.neutralised_words): valence set to 0.\n"
    )
    lexicon.NEUTRALISED.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
