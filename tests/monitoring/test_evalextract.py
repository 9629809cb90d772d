"""The forum extraction benchmark: figures on the gold corpus must not regress."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitoring.tools import forum_eval
from monitoring.tools.shared_data import shared_data
from tests.shared import needs

CORPUS = shared_data("forums", "harvest-gold")
needs_corpus = needs("forums", "harvest-gold")


@needs_corpus
def test_it_keeps_the_measured_quality_on_the_whole_gold_corpus():
    # All 102 threads (about 25 s). Measured: precision 0.955, recall 0.969, authors 0.976,
    # dates 0.949, recall of posts with a correct date 0.920. Floors sit just below.
    files = forum_eval.gold_files(CORPUS)
    assert len(files) == 102
    per_engine, total = forum_eval.evaluate(files)
    assert total.gold == sum(
        1
        for f in files
        for g in json.loads(f.read_text(encoding="utf-8"))["gold_standard_annotation"]
        if forum_eval.tokens(g["post_text"]["surface_form"])
    )
    assert total.precision >= 0.94
    assert total.recall >= 0.955
    assert total.author_accuracy >= 0.96
    assert total.date_accuracy >= 0.935
    assert total.dated_recall >= 0.905
    # The engine signatures carry most threads; each must stay near-perfect.
    for engine in ("phpbb", "vbulletin", "xenforo", "vanilla"):
        assert per_engine[engine].recall >= 0.97, engine


@needs_corpus
def test_it_prints_per_engine_rows_and_a_summary_last():
    out = StringIO()
    call_command("evalextract", "--path", str(CORPUS), "--limit", "2", "--verbose", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1].startswith("SUMMARY docs=2 gold=")
    assert "recall_correct_date=" in lines[-1]
    assert any(line.startswith("ALL ") for line in lines)
    assert any(line.startswith("bbs.archlinux.org.viewtopic.php.json") for line in lines)


def test_it_refuses_a_folder_without_gold_documents(tmp_path):
    with pytest.raises(CommandError):
        call_command("evalextract", "--path", str(tmp_path), stdout=StringIO())


@needs_corpus
def test_it_matches_posts_one_to_one_and_accepts_replies_without_their_quote():
    doc = json.loads(
        (CORPUS / "corpus/goldDocuments/forum.videolan.org.viewtopic.php.json").read_text()
    )
    texts = [g["post_text"]["surface_form"] for g in doc["gold_standard_annotation"]]
    assert forum_eval.match_posts(texts, list(reversed(texts))) == {
        i: len(texts) - 1 - i for i in range(len(texts))
    }
    # A duplicate extraction is not counted twice.
    assert len(forum_eval.match_posts(texts[:1], [texts[0], texts[0]])) == 1
    # The gold keeps a quoted post inside the reply; the extractor drops it.
    quoted = texts[0] + " " + texts[1]
    found = [texts[0], texts[1], texts[2]]
    gold = [texts[0], quoted, texts[2]]
    assert forum_eval.match_posts(gold, found) == {0: 0, 1: 1, 2: 2}
    assert forum_eval.match_posts([texts[0]], ["Completely unrelated words here"]) == {}
