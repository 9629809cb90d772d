"""`manage.py trainsentiment` learns from the operator's own labelled file, writes an
adapter outside the package, and `score --adapter` uses it."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from monitoring.sentiment import adapt
from monitoring.tools import sentiment_train as train

LINES = [
    "# our customers' reviews, labelled by us",
    "negative\tLa baguette était encore trop cuite, croûte carbonisée.",
    "negative\tCroûte carbonisée, comme d'habitude.",
    "positive\tLe flan pâtissier, une tuerie.",
    "1/5\tCarbonisé, immangeable.",
    "5/5\tUne tuerie ce flan.",
    "neutral\tLivraison de 8h à 10h le samedi.",
]


def test_it_trains_an_adapter_from_the_operators_file(tmp_path):
    data = tmp_path / "labels.tsv"
    data.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out_file = tmp_path / "adapter.json"
    out = io.StringIO()
    call_command(
        "trainsentiment", "--data", str(data), "--lang", "fr", "--out", str(out_file), stdout=out
    )
    assert "learnt from 6 texts" in out.getvalue()
    adapter = adapt.Adapter.from_json(out_file.read_text(encoding="utf-8"))
    assert adapter.examples == 6

    scored = io.StringIO()
    call_command(
        "score",
        "--lang",
        "fr",
        "--adapter",
        str(out_file),
        stdin=io.StringIO("Croûte carbonisée, comme d'habitude.\n"),
        stdout=scored,
    )
    assert json.loads(scored.getvalue())["label"] == "negative"


def test_it_reads_star_ratings_and_numeric_labels(tmp_path):
    data = tmp_path / "labels.tsv"
    data.write_text("2/5\tbof\n-1\tnul\n1\tsuper\n0\tnote\n", encoding="utf-8")
    labels = [label for _, label, _ in train.read_examples(data, "fr")]
    assert labels == ["negative", "negative", "positive", "neutral"]


def test_it_refuses_an_adapter_learnt_on_other_review_models(tmp_path):
    data = tmp_path / "labels.tsv"
    data.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out_file = tmp_path / "adapter.json"
    train.train(data, out_file, "fr")
    stored = json.loads(out_file.read_text(encoding="utf-8"))
    stored["shipped"] = "0123456789ab"  # learnt on top of review models that changed since
    out_file.write_text(json.dumps(stored), encoding="utf-8")
    with pytest.raises(CommandError, match="learn it again"):
        call_command("score", "--adapter", str(out_file), stdin=io.StringIO("Bon.\n"))
