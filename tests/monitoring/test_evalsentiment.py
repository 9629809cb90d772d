"""`manage.py evalsentiment` on a spread subset of each data set, with accuracy floors.

Floors sit a little below what the subset measured (tests/test_evalsentiment.py was
written with the figures of docs/sentiment.md), so that a regression fails while the
normal wobble of a small subset does not. The French sets are read from ../shared.
"""

import io
import re

import pytest
from django.core.management import call_command

from monitoring.tools import sentiment_data as datasets
from monitoring.tools import sentiment_eval as evaluate
from tests.shared import needs

pytestmark = needs(datasets.shared_dir() / "fr-allocine-tv")

LIMIT = 400


@pytest.fixture(scope="module")
def figures():
    out = io.StringIO()
    call_command("evalsentiment", "--limit", str(LIMIT), stdout=out)
    text = out.getvalue()
    return text, parse(text)


def parse(text: str) -> dict:
    """The printed table read back: {(set, scorer): Result}, language rates, speeds."""
    r: dict = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[1] in ("ours", "lexicon-only", "vader-unchanged"):
            acc, f1, binary = map(float, parts[3:6])
            r[(parts[0], parts[1])] = evaluate.Result(acc, f1, binary, int(parts[6]))
        elif len(parts) > 3 and parts[1] == "language":
            r[(parts[0], "language")] = float(parts[3])
    speed = re.search(r"score (\d+) texts/s, detect (\d+) texts/s, detect\+score (\d+)", text)
    r["speed"] = dict(zip(("score", "detect", "both"), map(float, speed.groups()), strict=True))
    return r


def test_it_prints_figures_for_every_set_and_scorer(figures):
    text, _ = figures
    for ds in evaluate.SETS:
        assert f"{ds.name:26} ours" in text
        assert f"{ds.name:26} vader-unchanged" in text
    assert "texts/s" in text
    assert text.strip().splitlines()[-1].startswith("summary: ")


def test_it_beats_vader_on_french(figures):
    _, r = figures
    for name in ("fr-allocine-tv/test", "fr-tweets-deft2017/test"):
        assert r[(name, "ours")].binary > r[(name, "vader-unchanged")].binary + 0.3


def test_it_keeps_its_accuracy_on_french(figures):
    # the subset measured Allociné binary 0.765, macro F1 0.767; DEFT binary 0.629,
    # macro F1 0.515; the team's held-out reviews binary 0.852 (lexicon alone 0.747)
    _, r = figures
    assert r[("fr-allocine-tv/test", "ours")].binary >= 0.74
    assert r[("fr-allocine-tv/test", "ours")].macro_f1 >= 0.74
    assert r[("fr-tweets-deft2017/test", "ours")].binary >= 0.58
    assert r[("fr-tweets-deft2017/test", "ours")].macro_f1 >= 0.48
    assert r[("fr-team-reviews/held-out", "ours")].binary >= 0.83


def test_it_reads_reviews_better_with_the_review_model_than_without(figures):
    _, r = figures
    for name, gain in (("fr-team-reviews/held-out", 0.05), ("fr-allocine-tv/test", 0.03)):
        assert r[(name, "ours")].binary >= r[(name, "lexicon-only")].binary + gain
    english = "en-team-reviews/held-out"
    assert r[(english, "ours")].binary >= r[(english, "lexicon-only")].binary + 0.1


def test_it_reads_real_french_reviews_better_than_the_lexicon(figures):
    # Allociné's real film reviews (MIT), other films than those learnt from: the whole
    # parts measured dev 0.812, held-out 0.840, lexicon alone 0.745 and 0.781
    _, r = figures
    for name in ("fr-allocine-films/dev", "fr-allocine-films/held-out"):
        assert r[(name, "ours")].binary >= r[(name, "lexicon-only")].binary + 0.04
        assert r[(name, "ours")].binary >= 0.78
        assert r[(name, "ours")].binary_n == min(LIMIT, 711 if "dev" in name else 657)


def test_it_reads_real_english_reviews_better_than_the_lexicon(figures):
    # UCI's real review sentences: the whole parts measured dev 0.823, held-out 0.814,
    # lexicon alone 0.735 and 0.733, VADER unchanged 0.703 and 0.700
    _, r = figures
    for name in ("en-uci-reviews/dev", "en-uci-reviews/held-out"):
        assert r[(name, "ours")].binary >= r[(name, "lexicon-only")].binary + 0.04
        assert r[(name, "ours")].binary >= r[(name, "vader-unchanged")].binary + 0.06
        assert r[(name, "ours")].binary_n == min(LIMIT, 582 if "dev" in name else 617)


def test_it_reports_the_share_to_check_and_the_demo(figures):
    text, _ = figures
    for ds in evaluate.SETS:
        assert re.search(rf"{re.escape(ds.name)} +to-check .* flagged, accuracy", text)
    toward = re.search(
        r"demo mentions +score_toward +\d+ +([\d.]+) accuracy, ([\d.]+) flagged, "
        r"accuracy ([\d.]+) on the others",
        text,
    )
    today = re.search(r"demo mentions +score_text +\d+ +([\d.]+) accuracy", text)
    accuracy, flagged, kept = map(float, toward.groups())
    assert flagged < 0.10
    assert accuracy >= float(today.group(1))
    assert kept >= 0.95


def test_it_learns_from_an_organisations_corrections(figures):
    text, _ = figures
    # real texts: French TV reviews and tweets, English review sentences (UCI dev)
    for name in evaluate.LEARNING_SETS:
        line = re.search(rf"{re.escape(name)} +learning .*", text).group(0)
        curve = {int(n): float(a) for n, a in re.findall(r"N=(\d+) ([\d.]+)", line)}
        assert set(curve) == {0, 10, 50, 200}
        # a few corrections do little harm, two hundred help: on Allociné's TV reviews
        # less than before (the subset measured 0.790 -> 0.803; the whole set 0.804 ->
        # 0.814), the shipped scorer having learnt from real film reviews already
        assert min(curve.values()) >= curve[0] - 0.02
        gain = 0.005 if name == "fr-allocine-tv/test" else 0.02
        assert curve[200] > curve[0] + gain


def test_it_is_no_worse_than_vader_on_english(figures):
    # On the whole sets macro F1 is within half a point of VADER's (docs/sentiment.md);
    # a 400-text subset wobbles more.
    _, r = figures
    for name in ("en-vader-tweets", "en-vader-nyt"):
        assert r[(name, "ours")].binary >= r[(name, "vader-unchanged")].binary
        assert r[(name, "ours")].macro_f1 >= r[(name, "vader-unchanged")].macro_f1 - 0.02
    assert r[("en-vader-tweets", "ours")].binary >= 0.97


def test_it_detects_the_language_of_the_sets(figures):
    _, r = figures
    assert r[("fr-allocine-tv/test", "language")] >= 0.97
    assert r[("en-vader-nyt", "language")] >= 0.96


def test_it_measures_its_speed(figures):
    _, r = figures
    # the goal is 1,000 texts/s per core; a loaded CI machine gets some slack
    assert r["speed"]["score"] > 500
    assert r["speed"]["both"] > 300
