"""From a figure to the mentions behind it: the one builder of filtered inbox links.

Every figure of the dashboard, the portfolio and the monthly report links to the
inbox through `inbox_url(org, **filters)`, whose query string is read back by the
inbox's own filters (`filters.inbox_queryset`): the inbox then lists exactly the
mentions the figure counts. Filter names are the InboxFilterForm's; a name it does
not know is a programming error, refused here rather than silently ignored there.
"""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from reputation.inbox.filters import InboxFilterForm

FIELDS = frozenset(InboxFilterForm.base_fields)


def _value(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if value is True:
        return "1"
    # Tracked names, sources and tags are chosen by their public code.
    return str(getattr(value, "code", value))


def inbox_url(org, **filters) -> str:
    """The inbox of `org` with these filters; None and empty values are left out,
    a list or tuple gives the parameter once per value (several tones, statuses)."""
    unknown = set(filters) - FIELDS
    if unknown:
        raise ValueError(f"the inbox has no filter {', '.join(sorted(unknown))}")
    pairs = []
    for key, value in filters.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, _value(v)) for v in values if v is not None and v != "" and v is not False]
    url = reverse("inbox", args=[org.code])
    return f"{url}?{urlencode(pairs)}" if pairs else url


def period_filters(period) -> dict:
    """The filters of a dashboard period (its first and last day, organisation's
    days) counted as its figures count (without the undated backlog)."""
    return {"since": period.start, "until": period.end, "counted": True}
