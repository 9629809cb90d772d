"""The diagnostic's score, its factors and its recommendations (plain functions)."""

from datetime import UTC, datetime, timedelta

from reputation.diagnostic import advice, score

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def mention(tone="neutral", days=1, site="journal.example", rating=None, review=False):
    return {
        "title": "t",
        "url": "",
        "site": site,
        "published": (NOW - timedelta(days=days)).isoformat(),
        "tone": tone,
        "rating": rating,
        "review": review,
    }


def points(found) -> dict:
    return {f.key: f.points for f in found}


def test_it_gives_nothing_for_nothing_found():
    found = score.factors([], 0, None, 0, 0, NOW)
    assert points(found) == dict.fromkeys(score.WEIGHTS, 0)
    assert score.total(found) == 0
    assert sum(f.max for f in found) == 100


def test_it_weighs_each_factor():
    mentions = [
        mention("positive", 2, "a.example"),
        mention("positive", 3, "b.example"),
        mention("negative", 40, "a.example"),
        mention("neutral", 50, "c.example"),
    ]
    found = score.factors(mentions, reviews=12, average=0.9, answered=1, read_reviews=2, now=NOW)
    assert points(found) == {
        "volume": 4,  # 20 * 4/20
        "tone": 16,  # 25 * (1 + (2 - 1)/4) / 2 = 15.6
        "recency": 6,  # 15 * 2/5
        "ratings": 16,  # 14 * 0.9 + 6 * 12/20 = 16.2
        "answers": 5,  # 10 * 1/2
        "spread": 6,  # 10 * 3/5
    }
    assert score.total(found) == 53
    assert {f.key: f.value for f in found}["ratings"] == "4.5"


def test_it_caps_each_factor_at_its_share():
    mentions = [mention("positive", 1, f"s{n}.example") for n in range(40)]
    found = score.factors(mentions, 500, 1.0, 40, 40, NOW)
    assert points(found) == score.WEIGHTS
    assert score.total(found) == 100


def test_it_splits_tones_and_ranks_sites():
    mentions = [mention("negative", site="a"), mention("positive", site="b"), mention(site="a")]
    assert score.tone_split(mentions) == {"positive": 1, "neutral": 1, "negative": 1}
    assert score.sites(mentions) == [{"site": "a", "count": 2}, {"site": "b", "count": 1}]


def result(mentions, reviews=None, website="", feeds=()):
    return {
        "mentions": mentions,
        "reviews": reviews or {"count": 0, "read": 0, "average": None, "answered": 0},
        "website": website,
        "feeds": list(feeds),
    }


def test_it_asks_for_reviews_when_none_were_found():
    chosen = advice.choose(result([]), NOW)
    assert chosen[0] == "ask_reviews"
    assert "add_website" in chosen and "be_seen" in chosen
    assert 3 <= len(chosen) <= 5
    assert "monitor" in chosen


def test_it_puts_answering_recent_negative_mentions_first():
    mentions = [mention("negative", 3), mention("positive", 100, "b.example")]
    chosen = advice.choose(result(mentions), NOW)
    assert chosen[0] == "answer_negative"
    # An old negative mention is no emergency.
    old = [mention("negative", 90), mention("positive", 100, "b.example")]
    assert "answer_negative" not in advice.choose(result(old), NOW)


def test_it_says_when_everything_comes_from_one_site():
    mentions = [mention("positive", n, "only.example") for n in range(6)]
    assert "one_source" in advice.choose(result(mentions), NOW)
    spread = [mention("positive", n, f"s{n}.example") for n in range(6)]
    assert "one_source" not in advice.choose(result(spread), NOW)


def test_it_asks_to_answer_reviews_and_to_fix_a_low_rating():
    reviews = {"count": 30, "read": 10, "average": 0.5, "answered": 1}
    chosen = advice.choose(result([mention()], reviews), NOW)
    assert "improve_rating" in chosen and "answer_reviews" in chosen
    answered = {"count": 30, "read": 10, "average": 0.9, "answered": 9}
    chosen = advice.choose(result([mention()], answered), NOW)
    assert "improve_rating" not in chosen and "answer_reviews" not in chosen


def test_it_asks_for_a_feed_on_a_website_without_one():
    assert "add_feed" in advice.choose(result([], website="https://x.example/"), NOW)
    chosen = advice.choose(result([], website="https://x.example/", feeds=["f"]), NOW)
    assert "add_feed" not in chosen and "add_website" not in chosen


def test_it_always_gives_three_to_five_written_recommendations():
    good = [mention("positive", n % 10, f"s{n % 6}.example") for n in range(30)]
    reviews = {"count": 50, "read": 20, "average": 0.95, "answered": 20}
    cases = [
        result([]),
        result(good, reviews, "https://x.example/", ["f"]),
        result([mention("negative", 1)], {"count": 2, "read": 2, "average": 0.2, "answered": 0}),
    ]
    for case in cases:
        chosen = advice.choose(case, NOW)
        assert 3 <= len(chosen) <= 5, chosen
        assert len(set(chosen)) == len(chosen)
        assert all(advice.text(code) for code in chosen)
