"""What a page's schema.org markup says of the reviews of a business: the reviews
themselves (the collector's own reader), the average and number stated by its
AggregateRating, and how many reviews carry an answer.

schema.org has no "owner's answer" property: a Review holding a `comment` (a Comment,
as review platforms mark the business's reply up) counts as answered.
"""

from dataclasses import dataclass, field

from monitoring.parse import rating as ratings
from monitoring.parse.html import review_entries
from monitoring.parse.text import make_soup
from monitoring.types import Entry

MAX_HTML = 3_000_000


@dataclass
class ReviewPage:
    entries: list[Entry] = field(default_factory=list)
    average: float | None = None  # AggregateRating, normalised to [0, 1]
    count: int = 0  # the number of reviews the page states (else the ones read)
    answered: int = 0


def read(html: str, url: str) -> ReviewPage:
    soup = make_soup((html or "")[:MAX_HTML], "lxml")
    entries = review_entries(soup, url)
    page = ReviewPage(entries=entries, average=ratings.aggregate_rating(soup))
    page.count = max(_stated_count(soup), len(entries))
    page.answered = min(_answered(soup), len(entries))
    return page


def _count(value) -> int:
    try:
        return max(0, min(int(float(str(value).strip())), 10_000_000))
    except (TypeError, ValueError):
        return 0


def _stated_count(soup) -> int:
    for obj in ratings.jsonld_objects(soup):
        nested = obj.get("aggregateRating")
        for candidate in (obj, nested) if isinstance(nested, dict) else (obj,):
            if candidate is nested or "AggregateRating" in ratings.types_of(candidate):
                found = _count(candidate.get("reviewCount") or candidate.get("ratingCount"))
                if found:
                    return found
    for scope in soup.select("[itemscope][itemtype]"):
        if (scope.get("itemtype") or "").rstrip("/").endswith("AggregateRating"):
            found = _count(
                ratings.microdata_prop(scope, "reviewCount")
                or ratings.microdata_prop(scope, "ratingCount")
            )
            if found:
                return found
    return 0


def _answered(soup) -> int:
    jsonld = [
        obj
        for obj in ratings.jsonld_objects(soup)
        if ratings.types_of(obj) & {"Review", "UserReview", "CriticReview"}
    ]
    if jsonld:
        return sum(1 for obj in jsonld if obj.get("comment"))
    return sum(
        1
        for element in ratings.microdata_reviews(soup)
        if element.select_one('[itemprop="comment"]') is not None
    )
