"""`manage.py score`: texts on stdin, one JSON object per line on stdout."""

import io
import json

from django.core.management import call_command


def run(text: str, *args) -> list[dict]:
    out = io.StringIO()
    call_command("score", *args, stdin=io.StringIO(text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_scores_each_line_in_its_detected_language():
    rows = run(
        "Accueil chaleureux, personnel aux petits soins, je recommande !\n"
        "The delivery was late and the box arrived damaged.\n"
        "\n"
        "Das Essen war ausgezeichnet und der Service sehr freundlich.\n"
    )
    assert [r["lang"] for r in rows] == ["fr", "en", "de"]
    assert [r["label"] for r in rows] == ["positive", "negative", "neutral"]
    assert rows[0]["score"] > 0.3 and rows[1]["score"] < -0.3
    assert rows[2]["confidence"] == 0.0
    assert rows[0]["aspects"] == ["reception", "staff"]
    assert rows[1]["aspects"] == ["delays", "quality"]
    for r in rows:
        assert set(r) == {"lang", "label", "score", "confidence", "aspects"}
        assert -1 <= r["score"] <= 1 and 0 <= r["confidence"] <= 1


def test_it_uses_the_given_language():
    rows = run("Colis perdu\nTrès déçu\n", "--lang", "fr")
    assert [r["lang"] for r in rows] == ["fr", "fr"]
    assert rows[1]["label"] == "negative"
    # a short line whose language cannot be detected is left unknown in auto mode
    (row,) = run("Top\n")
    assert row["lang"] == "" and row["label"] == "neutral"
