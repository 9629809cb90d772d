"""How urgent a negative mention is: a score from 0 to 100 (docs/alerts.md).

Four parts, each from 0 to 1, weighted:

- negativity (40): how negative the mention's score is (-1 gives 1);
- source weight (20): a review with stars is read by customers deciding where to
  go, a news article by many, a forum post or blog by fewer;
- freshness (20): 1 when just published, 0 after two days;
- velocity (20): other negative mentions of the organisation in the last 24 h
  (0 alone, 1 from four others on): a second complaint is worth more than the first.

With the default threshold (50), a clearly negative fresh review alerts at once,
a lukewarm blog post waits for the digest.
"""

from datetime import timedelta

from django.utils import timezone

WEIGHTS = {"negativity": 40, "source": 20, "freshness": 20, "velocity": 20}
FRESH_FOR = timedelta(hours=48)
SOURCE_WEIGHT = {"review": 1.0, "search": 0.8, "feed": 0.6, "html": 0.6, "forum": 0.5}


def source_weight(mention) -> float:
    if mention.rating is not None:
        return SOURCE_WEIGHT["review"]
    kind = mention.source.kind if mention.source_id else "feed"
    return SOURCE_WEIGHT.get(kind, 0.5)


def parts(mention, recent_negative: int, now=None) -> dict[str, float]:
    """The four parts of a mention's severity; `recent_negative` counts the others."""
    now = now or timezone.now()
    age = max(0.0, (now - mention.published).total_seconds())
    return {
        "negativity": min(1.0, max(0.0, -mention.score)),
        "source": source_weight(mention),
        "freshness": max(0.0, 1 - age / FRESH_FOR.total_seconds()),
        "velocity": min(1.0, max(0, recent_negative) / 4),
    }


def severity(mention, recent_negative: int, now=None) -> int:
    values = parts(mention, recent_negative, now)
    return round(sum(WEIGHTS[k] * v for k, v in values.items()))
