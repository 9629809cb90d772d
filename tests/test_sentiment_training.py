"""`manage.py trainsentiment` is reproducible: the shipped model is what the code trains."""

import io

import pytest
from django.core.management import call_command

from monitoring.sentiment import datasets, lexicon, model, train

pytestmark = pytest.mark.skipif(
    not (datasets.shared_dir() / "fr-allocine-tv").exists(),
    reason="../shared/data/sentiment is not beside the project",
)


def test_it_trains_the_shipped_model_again():
    out = io.StringIO()
    call_command("trainsentiment", "--dry-run", stdout=out)
    assert "not written" in out.getvalue()

    texts, y = train.training_set()
    # train splits only: no dev, val or test text is learnt from
    held_out = {e.text for e in datasets.allocine("dev") + datasets.allocine("test")}
    held_out |= {e.text for e in datasets.deft_tweets("val") + datasets.deft_tweets("test")}
    assert not held_out & set(texts)

    shipped = lexicon.NEUTRALISED.read_text(encoding="utf-8").split("\n")[1:]
    assert train.neutralised_words(texts, y) == [w for w in shipped if w]

    _, weights, _ = train.fit()
    _, shipped_weights = model.weights()
    common = weights.keys() & shipped_weights.keys()
    # the same features, the same weights (a little slack for another BLAS)
    assert len(common) >= 0.99 * max(len(weights), len(shipped_weights))
    assert max(abs(weights[k] - shipped_weights[k]) for k in common) < 0.01
