"""UCI's real review sentences (monitoring/tools/sentiment_uci.py): split once, by the
sentence alone, into the part learnt from and the parts measured."""

from collections import Counter

from monitoring.tools import sentiment_uci as uci
from monitoring.tools.sentiment_train import CORPUS


def test_it_reads_the_files_as_uci_ships_them(tmp_path):
    # the IMDb file breaks a sentence with NEL (U+0085): joined back, not lost
    raw = "Great phone, works fine.\t1\nThe script is\x85 \nawful.\t0\n\nNo label here\n"
    path = tmp_path / "imdb_labelled.txt"
    path.write_text(raw, encoding="utf-8")
    assert uci.read_source(path) == [
        ("positive", "Great phone, works fine."),
        ("negative", "The script is awful."),
    ]


def test_it_splits_by_the_sentence_alone(tmp_path):
    for name in uci.SOURCES.values():
        (tmp_path / name).write_text(
            "Loved it.\t1\nLOVED it!\t1\nBroke in a week.\t0\nGreat value.\t1\n", encoding="utf-8"
        )
    counts = uci.split(tmp_path, tmp_path / "out")
    # "Loved it." once, whatever the case, punctuation or source repeating it
    assert sum(counts.values()) == 3
    for part in uci.PARTS:
        for _, _, text in uci.read(tmp_path / "out" / f"{part}.tsv"):
            assert uci.part_of(text) == part


def test_it_ships_the_split_it_describes():
    seen = Counter()
    for part in uci.PARTS:
        rows = uci.read(CORPUS / "uci" / f"{part}.tsv")
        seen[part] = len(rows)
        assert all(uci.part_of(text) == part for _, _, text in rows)
        assert {label for label, _, _ in rows} == {"negative", "positive"}
        assert {source for _, source, _ in rows} == set(uci.SOURCES)
    assert seen == {"train": 1773, "dev": 582, "held_out": 617}
