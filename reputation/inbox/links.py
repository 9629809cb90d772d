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


class InboxLinks:
    """`inbox_url` for the many links of one organisation's page: its inbox address
    reversed once and each parameter encoded once (the dashboard makes about 400
    links a page; reversing and encoding each one was a third of its CPU)."""

    def __init__(self, org):
        self.base = reverse("inbox", args=[org.code])
        self.encoded: dict[tuple[str, str], str] = {}

    def __call__(self, **filters) -> str:
        unknown = set(filters) - FIELDS
        if unknown:
            raise ValueError(f"the inbox has no filter {', '.join(sorted(unknown))}")
        parts = []
        for key, value in filters.items():
            for v in value if isinstance(value, list | tuple) else [value]:
                if v is None or v == "" or v is False:
                    continue
                pair = (key, _value(v))
                part = self.encoded.get(pair)
                if part is None:
                    part = self.encoded[pair] = urlencode([pair])
                parts.append(part)
        return f"{self.base}?{'&'.join(parts)}" if parts else self.base


def inbox_url(org, **filters) -> str:
    """The inbox of `org` with these filters; None and empty values are left out,
    a list or tuple gives the parameter once per value (several tones, statuses)."""
    return InboxLinks(org)(**filters)


def period_filters(period) -> dict:
    """The filters of a dashboard period (its first and last day, organisation's
    days) counted as its figures count (without the undated backlog)."""
    return {"since": period.start, "until": period.end, "counted": True}
