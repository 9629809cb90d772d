"""Allociné's real film reviews (monitoring/tools/sentiment_allocine.py): split once, so
that what is learnt from and what is measured never share a review or a film."""

from collections import Counter

from monitoring.tools import sentiment_allocine as allocine
from monitoring.tools.sentiment_train import CORPUS


def test_it_reads_the_files_as_pandas_wrote_them(tmp_path):
    raw = (
        "text,label\n"
        '"Un chef-d\'oeuvre, vraiment. Courez-y !",1\n'
        '"Le ""grand"" film de l\'année ?\nUn navet.",0\n'
        "Sans virgule ni guillemet,1\n"
        '"label cassé",3\n'
    )
    path = tmp_path / "train_data_allocine.csv"
    path.write_text(raw, encoding="utf-8")
    assert allocine.read_source(path) == [
        ("positive", "Un chef-d'oeuvre, vraiment. Courez-y !"),
        ("negative", 'Le "grand" film de l\'année ? Un navet.'),
        ("positive", "Sans virgule ni guillemet"),
    ]


def test_it_learns_from_the_train_split_and_measures_the_test_split(tmp_path):
    train = "text,label\nSuperbe film.,1\nUn ennui mortel.,0\nÀ voir absolument.,1\n"
    test = "text,label\nSUPERBE film !,1\nNul de bout en bout.,0\nQuel navet.,0\n"
    names = list(allocine.SOURCES)
    (tmp_path / names[0]).write_text(train, encoding="utf-8")
    (tmp_path / names[1]).write_text(test, encoding="utf-8")
    (tmp_path / names[2]).write_text(test, encoding="utf-8")
    counts = allocine.split(tmp_path, tmp_path / "out")
    # the test files repeat each other, and "Superbe film." is in both splits: kept once,
    # in train, so it is never measured after being learnt from
    assert counts["train"] == 3 and counts["dev"] + counts["held_out"] == 2
    for part in allocine.PARTS:
        for _, split, text in allocine.read(tmp_path / "out" / f"{part}.tsv"):
            assert allocine.part_of(text, split) == part
            assert (split == "train") == (part == "train")


def test_it_ships_the_split_it_describes():
    seen, texts = Counter(), {}
    for part in allocine.PARTS:
        rows = allocine.read(CORPUS / "allocine" / f"{part}.tsv")
        seen[part] = len(rows)
        texts[part] = {allocine.fold(text) for _, _, text in rows}
        assert all(allocine.part_of(text, split) == part for _, split, text in rows)
        labels = Counter(label for label, _, _ in rows)
        assert set(labels) == {"negative", "positive"}
        assert min(labels.values()) > 0.45 * len(rows)
    assert seen == {"train": 1998, "dev": 711, "held_out": 657}
    assert not texts["train"] & (texts["dev"] | texts["held_out"])
    assert not texts["dev"] & texts["held_out"]
