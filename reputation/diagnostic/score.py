"""The diagnostic's score out of 100 and the factors that make it.

Each factor has a share of the 100 points (its `max`) and earns part of it:

- volume (20): mentions found, full marks from 20;
- tone (25): the balance of positive and negative mentions, half marks when even;
- recency (15): mentions of the last 30 days, full marks from 5;
- ratings (20): the average rating (14) and the number of reviews (6, full from 20);
- answers (10): the share of reviews that carry the business's answer;
- spread (10): distinct sites, full marks from 5.

Nothing found earns nothing: the score says how much the web shows of the business,
and how well.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.utils import timezone

RECENT_DAYS = 30
WEIGHTS = {"volume": 20, "tone": 25, "recency": 15, "ratings": 20, "answers": 10, "spread": 10}


@dataclass
class Factor:
    key: str
    points: int
    max: int
    value: str  # what was measured, as numbers the page words


def _ratio(n: float, full: float) -> float:
    return max(0.0, min(1.0, n / full)) if full else 0.0


def tone_split(mentions: list[dict]) -> dict[str, int]:
    split = {"positive": 0, "neutral": 0, "negative": 0}
    for mention in mentions:
        split[mention["tone"] if mention["tone"] in split else "neutral"] += 1
    return split


def recent(mentions: list[dict], now: datetime | None = None) -> list[dict]:
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    out = []
    for mention in mentions:
        if mention.get("published"):
            try:
                when = datetime.fromisoformat(mention["published"])
            except ValueError:
                continue
            if when >= since:
                out.append(mention)
    return out


def sites(mentions: list[dict]) -> list[dict]:
    """The sites mentions come from, most first."""
    counts: dict[str, int] = {}
    for mention in mentions:
        if mention.get("site"):
            counts[mention["site"]] = counts.get(mention["site"], 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"site": site, "count": count} for site, count in ranked]


def factors(
    mentions: list[dict],
    reviews: int,
    average: float | None,
    answered: int,
    read_reviews: int,
    now: datetime | None = None,
) -> list[Factor]:
    n = len(mentions)
    split = tone_split(mentions)
    balance = (split["positive"] - split["negative"]) / n if n else 0.0
    fresh = len(recent(mentions, now))
    spread = len(sites(mentions))
    rating_points = 0.0 if average is None else 14 * average + 6 * _ratio(reviews, 20)
    share_answered = answered / read_reviews if read_reviews else 0.0
    found = [
        ("volume", 20 * _ratio(n, 20), f"{n}"),
        ("tone", 25 * (1 + balance) / 2 if n else 0.0, f"{round(100 * balance)}"),
        ("recency", 15 * _ratio(fresh, 5), f"{fresh}"),
        ("ratings", rating_points, f"{round(5 * average, 1) if average is not None else ''}"),
        ("answers", 10 * share_answered, f"{round(100 * share_answered)}"),
        ("spread", 10 * _ratio(spread, 5), f"{spread}"),
    ]
    return [Factor(key, round(points), WEIGHTS[key], value) for key, points, value in found]


def total(found: list[Factor]) -> int:
    return max(0, min(100, sum(f.points for f in found)))


def as_dicts(found: list[Factor]) -> list[dict]:
    return [asdict(f) for f in found]
