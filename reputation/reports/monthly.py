"""The monthly management report: key figures, charts, the top mentions and what
was done about them. One HTML template renders it for the browser and, through
xhtml2pdf, as PDF (pure Python: installs from pyproject.toml alone, no system
library, unlike WeasyPrint's Pango).

The charts are tables of coloured bars, which both the browser and xhtml2pdf draw.
"""

import io
import statistics
from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import translation

from reputation.accounts.branding import brand_for
from reputation.alerts.models import Notification, NotificationKind, NotificationStatus
from reputation.dashboard.stats import ASPECT_LABELS
from reputation.mentions.models import Mention, MentionStatus, Sentiment
from reputation.reports import charts
from reputation.reports.links import linked

TOP = 5
WEEK = timedelta(days=7)


def next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def previous_month(start: datetime) -> datetime:
    return start.replace(year=start.year - (start.month == 1), month=(start.month - 2) % 12 + 1)


def bounds(organisation, year: int, month: int) -> tuple[datetime, datetime]:
    """The month in the organisation's time zone, as aware datetimes."""
    start = datetime(year, month, 1, tzinfo=organisation.zone)
    return start, next_month(start)


def counts(mentions) -> dict:
    """Mentions of a queryset by sentiment, and how many were handled: the one counting
    of reports and digests (the caller chooses which mentions and which days)."""
    return mentions.aggregate(
        total=Count("pk"),
        positive=Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
        neutral=Count("pk", filter=Q(sentiment=Sentiment.NEUTRAL)),
        negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
        handled=Count("pk", filter=~Q(status=MentionStatus.NEW)),
    )


def weekly(mentions, start, end) -> list[dict]:
    """Mentions per week of the month, by sentiment, with bar widths in percent."""
    rows = []
    day = start
    while day < end:
        stop = min(end, day + WEEK)
        part = counts(mentions.filter(published__gte=day, published__lt=stop))
        rows.append({"start": day, "stop": stop, "label": f"{day:%d/%m}", **part})
        day = stop
    return rows


def figures(organisation, start: datetime, end: datetime) -> dict:
    # The organisation's own names, as on the dashboard: competitors are not its news.
    all_mentions = Mention.objects.own().filter(organisation=organisation)
    month = all_mentions.filter(published__gte=start, published__lt=end)
    before = previous_month(start)
    current, previous = (
        counts(month),
        counts(all_mentions.filter(published__gte=before, published__lt=start)),
    )
    related = month.select_related("source", "tracked_name", "assigned_to")
    sources = Counter(
        (m.source.title or m.source.url)
        for m in month.select_related("source").only("source__title", "source__url")
        if m.source_id
    )
    top_sources = sources.most_common(TOP)
    aspects = Counter()
    for sentiment, found in month.exclude(aspects=[]).values_list("sentiment", "aspects"):
        # Once per mention, as the inbox's subject filter finds it.
        for aspect in set(found or ()):
            aspects[(aspect, sentiment)] += 1
    weeks = weekly(month, start, end)
    return {
        "organisation": organisation,
        "start": start,
        "end": end,
        "current": current,
        "previous": previous,
        "trend": {k: current[k] - previous[k] for k in current},
        "weeks_chart": charts.data_uri(
            charts.stacked_bars(weeks, ["positive", "neutral", "negative"])
        ),
        "sources_chart": charts.data_uri(
            charts.stacked_bars([{"label": n[:40], "total": c} for n, c in top_sources], ["total"])
        )
        if top_sources
        else None,
        "weeks": weeks,
        "aspects": [
            {
                "key": key,
                "label": label,
                "negative": aspects[(key, Sentiment.NEGATIVE)],
                "positive": aspects[(key, Sentiment.POSITIVE)],
            }
            for key, label in ASPECT_LABELS.items()
            if aspects[(key, Sentiment.NEGATIVE)] or aspects[(key, Sentiment.POSITIVE)]
        ],
        "negative": list(related.filter(sentiment=Sentiment.NEGATIVE).order_by("score")[:TOP]),
        "positive": list(related.filter(sentiment=Sentiment.POSITIVE).order_by("-score")[:TOP]),
        "alerts": alert_figures(organisation, start, end),
        # A consultant's name and logo instead of ours, when they chose this client.
        "brand": brand_for(organisation),
    }


def alert_figures(organisation, start, end) -> dict:
    sent = Notification.objects.filter(
        organisation=organisation,
        status=NotificationStatus.SENT,
        sent_at__gte=start,
        sent_at__lt=end,
        kind=NotificationKind.INSTANT,
    )
    delays = sorted(d for d in sent.values_list("delay", flat=True) if d is not None)
    return {
        "count": len(delays) or sent.count(),
        "median_minutes": round(statistics.median(delays) / 60) if delays else None,
    }


def render_html(report: dict, language: str, online: bool = False) -> str:
    """The report's page; `online` (the browser's view) makes each figure a link to
    the inbox filtered to its mentions."""
    with translation.override(language):
        return render_to_string("reports/monthly.html", {"r": linked(report) if online else report})


def render_pdf(report: dict, language: str) -> bytes:
    from xhtml2pdf import pisa

    out = io.BytesIO()
    result = pisa.CreatePDF(
        render_html(report, language), dest=out, encoding="utf-8", link_callback=static_file
    )
    if result.err:
        raise RuntimeError("the PDF could not be built")
    return out.getvalue()


def static_file(uri: str, rel=None) -> str:
    """xhtml2pdf opens the page's stylesheet from disk; nothing else is fetched
    (charts are data: URIs, which it reads itself)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    if uri.startswith(settings.STATIC_URL):
        found = finders.find(uri[len(settings.STATIC_URL) :])
        if found:
            return found
    return "" if not uri.startswith("data:") else uri


def filename(report: dict) -> str:
    return f"{report['organisation'].slug}-{report['start']:%Y-%m}.pdf"


def for_notification(notification) -> dict:
    start = notification.period_start.astimezone(notification.organisation.zone)
    return figures(notification.organisation, start, next_month(start))


def pdf_attachment(report: dict, language: str) -> tuple[str, bytes]:
    return filename(report), render_pdf(report, language)
