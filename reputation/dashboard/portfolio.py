"""One row per client of a consultant, from the rollups and a few small queries.

Mentions and negative mentions over 7 and 30 days count the client's own names
(competitors apart), with the change against the 7 or 30 days before.
"""

from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Follow, SourceState
from reputation.dashboard.figures import change
from reputation.dashboard.rollups import org_tz
from reputation.models import DailyCount, Mention, MentionStatus, Sentiment, TrackedKind

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
    "errors": ("errors", True),
    "last": ("last", True),
}


def rows(orgs) -> list[dict]:
    if not orgs:
        return []
    today = {org.pk: timezone.now().astimezone(org_tz(org)).date() for org in orgs}
    since = min(today.values()) - timedelta(days=60)
    daily = (
        DailyCount.objects.filter(organisation__in=orgs, day__gte=since)
        .exclude(tracked_name__kind=TrackedKind.COMPETITOR)
        .values("organisation_id", "day")
        .annotate(n=Sum("count"), negative=Sum("count", filter=Q(sentiment="negative")))
        .order_by()
    )
    sums: dict[int, dict] = {org.pk: dict.fromkeys(_KEYS, 0) for org in orgs}
    for row in daily:
        age = (today[row["organisation_id"]] - row["day"]).days
        s = sums[row["organisation_id"]]
        for days in (7, 30):
            if 0 <= age < days:
                s[f"mentions{days}"] += row["n"]
                s[f"negative{days}"] += row["negative"] or 0
            elif days <= age < 2 * days:
                s[f"before{days}"] += row["n"]
    unhandled = dict(
        Mention.objects.filter(
            organisation__in=orgs, status=MentionStatus.NEW, sentiment=Sentiment.NEGATIVE
        )
        .exclude(tracked_name__kind=TrackedKind.COMPETITOR)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    errors = dict(
        Follow.objects.filter(organisation__in=orgs)
        .filter(Q(source__error_count__gt=0) | Q(source__state=SourceState.PAUSED))
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    newest = Mention.objects.filter(organisation=OuterRef("pk")).order_by("-published")
    last = dict(
        type(orgs[0])
        .objects.filter(pk__in=[o.pk for o in orgs])
        .annotate(last=Subquery(newest.values("published")[:1]))
        .values_list("pk", "last")
    )
    out = []
    for org in orgs:
        s = sums[org.pk]
        out.append(
            {
                "org": org,
                "name": org.name.lower(),
                **s,
                "trend7": change(s["mentions7"], s["before7"]),
                "trend30": change(s["mentions30"], s["before30"]),
                "unhandled": unhandled.get(org.pk, 0),
                "errors": errors.get(org.pk, 0),
                "last": last.get(org.pk),
            }
        )
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
