"""One row per client of a consultant, from the rollups and a few small queries.

Mentions and negative mentions over 7 and 30 days count the client's own names
(competitors apart), with the change against the 7 or 30 days before.
"""

from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reputation.dashboard.figures import change
from reputation.dashboard.models import DailyCount
from reputation.inbox.links import inbox_url
from reputation.mentions.models import UNTREATED, Mention, Sentiment
from reputation.names.models import own_names
from reputation.replies import figures as reply_figures
from reputation.sources.models import Follow, in_error

# Sortable columns: query string value -> (row key, newest/largest first by default).
COLUMNS = {
    "name": ("name", False),
    "mentions7": ("mentions7", True),
    "negative7": ("negative7", True),
    "trend7": ("trend7", True),
    "mentions30": ("mentions30", True),
    "negative30": ("negative30", True),
    "trend30": ("trend30", True),
    "unhandled": ("unhandled", True),
    "response_rate": ("response_rate", False),
    "overdue": ("overdue", True),
    "errors": ("errors", True),
    "last": ("last", True),
}


def rows(orgs) -> list[dict]:
    if not orgs:
        return []
    today = {org.pk: timezone.now().astimezone(org.zone).date() for org in orgs}
    sums: dict[int, dict] = {org.pk: dict.fromkeys(_KEYS, 0) for org in orgs}
    # One query per distinct "today" (organisations in time zones where the date
    # differs count their own days): sums by window, one row per organisation.
    for day in set(today.values()):
        group = [pk for pk, d in today.items() if d == day]
        windows = {}
        for days in (7, 30):
            recent = Q(day__gt=day - timedelta(days=days))
            windows[f"mentions{days}"] = Sum("count", filter=recent)
            windows[f"negative{days}"] = Sum("count", filter=recent & Q(sentiment="negative"))
            before = Q(day__gt=day - timedelta(days=2 * days), day__lte=day - timedelta(days=days))
            windows[f"before{days}"] = Sum("count", filter=before)
        daily = (
            DailyCount.objects.filter(
                organisation__in=group, day__gt=day - timedelta(days=60), day__lte=day
            )
            .filter(own_names("tracked_name__"))
            .values("organisation_id")
            .annotate(**windows)
            .order_by()
        )
        for row in daily:
            s = sums[row.pop("organisation_id")]
            s.update({k: v or 0 for k, v in row.items()})
    unhandled = dict(
        Mention.objects.own()
        .untreated()
        .filter(organisation__in=orgs, sentiment=Sentiment.NEGATIVE)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    errors = dict(
        Follow.objects.filter(organisation__in=orgs)
        .filter(in_error())
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    newest = Mention.objects.own().filter(organisation=OuterRef("pk")).order_by("-published")
    last = dict(
        type(orgs[0])
        .objects.filter(pk__in=[o.pk for o in orgs])
        .annotate(last=Subquery(newest.values("published")[:1]))
        .values_list("pk", "last")
    )
    # The dashboard's and the digests' response figures (replies/figures.py).
    replies = reply_figures.recent_many(orgs)
    out = []
    for org in orgs:
        s = sums[org.pk]
        answers = replies[org.pk]
        out.append(
            {
                "org": org,
                "name": org.name.lower(),
                **s,
                "trend7": change(s["mentions7"], s["before7"]),
                "trend30": change(s["mentions30"], s["before30"]),
                "unhandled": unhandled.get(org.pk, 0),
                "response_rate": answers["rate"],
                "median_response": answers["median"],
                "overdue": answers["overdue"],
                "errors": errors.get(org.pk, 0),
                "last": last.get(org.pk),
                "links": links(org, today[org.pk]),
            }
        )
    return out


def links(org, today) -> dict:
    """Each cell's mentions in the inbox: the same days (the organisation's) and the
    same mentions (own names, counted as the rollups count them)."""
    out = {}
    for days in (7, 30):
        window = {"since": today - timedelta(days=days - 1), "until": today, "counted": True}
        out[f"mentions{days}"] = inbox_url(org, **window)
        out[f"negative{days}"] = inbox_url(org, **window, sentiment=Sentiment.NEGATIVE)
    out["unhandled"] = inbox_url(org, sentiment=Sentiment.NEGATIVE, status=list(UNTREATED))
    out["errors"] = reverse("sources", args=[org.code]) + "?errors=1"
    return out


_KEYS = ("mentions7", "negative7", "before7", "mentions30", "negative30", "before30")


def column_labels() -> list[tuple[str, str]]:
    return [
        ("name", _("Organisation")),
        ("mentions7", _("Mentions, 7 days")),
        ("negative7", _("Negative, 7 days")),
        ("trend7", _("Trend, 7 days")),
        ("mentions30", _("Mentions, 30 days")),
        ("negative30", _("Negative, 30 days")),
        ("trend30", _("Trend, 30 days")),
        ("unhandled", _("Negative, not handled")),
        ("response_rate", _("Answered, 30 days (%)")),
        ("overdue", _("Answers overdue")),
        ("errors", _("Sources in error")),
        ("last", _("Last mention")),
    ]


def sort_rows(rows: list[dict], sort: str) -> tuple[str, bool]:
    """Sort in place by a column ("-" first for the other direction); returns
    (column, descending) for the page to say how the table is sorted."""
    reverse_asked = sort.startswith("-")
    column = sort.lstrip("-")
    if column not in COLUMNS:
        column, reverse_asked = "name", False
    key, descending = COLUMNS[column]
    descending = descending != reverse_asked
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    present.sort(key=lambda r: (r[key], r["name"]), reverse=descending)
    rows[:] = present + missing  # no figure: always last
    return column, descending
