"""Where each figure of the dashboard leads: the inbox filtered to the mentions it
counts (inbox.links.inbox_url), added to the figures for the template and the charts.

Every link carries the period's days and `counted` (the figures leave out the undated
backlog), plus what the figure adds: a tone, a day or week, a source, an author, a
subject, a competitor. Own names are the inbox's default, as they are the figures'.
"""

from datetime import timedelta

from reputation.dashboard.figures import TONES
from reputation.inbox.links import InboxLinks, period_filters
from reputation.mentions.models import Sentiment

OTHER_TONES = [t for t in TONES if t != Sentiment.NEGATIVE]


def add_links(org, period, f: dict) -> None:
    """Add `link`/`links` to the figures of `f` (figures.figures), in place."""
    base = period_filters(period)
    links = InboxLinks(org)

    def url(**more) -> str:
        return links(**{**base, **more})

    current = f["current"]
    current["links"] = {
        "total": url(),
        **{tone: url(sentiment=tone) for tone in TONES},
        # The index is made of the positive and negative mentions only.
        "index": url(sentiment=[Sentiment.POSITIVE, Sentiment.NEGATIVE]),
    }
    step = timedelta(days=period.bucket() - 1)
    for point in f["over_time"]:
        days = {"since": point["day"], "until": min(point["day"] + step, period.end)}
        point["links"] = {"total": url(**days), **{t: url(**days, sentiment=t) for t in TONES}}
    for row, competitor in zip(f["share"], [None, *f["competitors"]], strict=True):
        # The own row counts every own name (the inbox's default); a competitor's row
        # opens the inbox with that competitor chosen.
        row["link"] = url(name=competitor) if competitor else url()
    for row in f["sources"]:
        # A source no longer followed (no code) cannot be chosen in the inbox: no link
        # rather than one that would show every source's mentions.
        if row["code"]:
            row.update(_split(url, source=row["code"]))
    for row in f["authors"]:
        row.update(_split(url, author=row["author"]))
    buckets = f["aspects"]["buckets"]
    for row in f["aspects"]["rows"]:
        row["link"] = url(aspect=row["key"])
        row["links"] = {t: url(aspect=row["key"], sentiment=t) for t in TONES}
        row["point_links"] = [
            url(aspect=row["key"], since=b, until=min(b + step, period.end)) for b in buckets
        ]


def _split(url, **what) -> dict:
    """A top row's links: all its mentions, the negative ones, the others."""
    return {
        "link": url(**what),
        "negative_link": url(**what, sentiment=Sentiment.NEGATIVE),
        "other_link": url(**what, sentiment=OTHER_TONES),
    }
