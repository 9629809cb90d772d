"""The monthly report's figures as links to the inbox, for its online view only
(the PDF and the email keep plain figures: nobody clicks paper).

The report counts the own names' mentions published in the organisation's month
(monthly.figures); the inbox's days are the organisation's days too, so the month
and each week are a `since`/`until` pair of days. No `counted` flag: the report
counts every mention of the month, the undated ones included, as the inbox does.
"""

from datetime import timedelta

from reputation.inbox.links import inbox_url
from reputation.mentions.models import MentionStatus, Sentiment

DAY = timedelta(days=1)
HANDLED = [s for s in MentionStatus.values if s != MentionStatus.NEW]
TONES = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)


def linked(report: dict) -> dict:
    """A copy of the report whose figures carry their links: `links` for the key
    figures, `links` on each week and each subject."""
    links = report_links(report)
    return {
        **report,
        "links": links,
        "weeks": [
            {**w, "links": wl} for w, wl in zip(report["weeks"], links["weeks"], strict=True)
        ],
        "aspects": [
            {**a, "links": al} for a, al in zip(report["aspects"], links["aspects"], strict=True)
        ],
    }


def report_links(report: dict) -> dict:
    org = report["organisation"]

    def days(start, end) -> dict:
        return {"since": start.date(), "until": (end - DAY).date()}

    month = days(report["start"], report["end"])
    return {
        "total": inbox_url(org, **month),
        **{tone: inbox_url(org, **month, sentiment=tone) for tone in TONES},
        "handled": inbox_url(org, **month, status=HANDLED),
        "weeks": [
            {tone: inbox_url(org, **days(w["start"], w["stop"]), sentiment=tone) for tone in TONES}
            | {"total": inbox_url(org, **days(w["start"], w["stop"]))}
            for w in report["weeks"]
        ],
        "aspects": [
            {tone: inbox_url(org, **month, aspect=a["key"], sentiment=tone) for tone in TONES}
            for a in report["aspects"]
        ],
    }
