"""Mentions as plain rows for exports (command, and later CSV and API).

Every text cell comes from the web or from users: one that starts like a formula
(`=`, `+`, `-`, `@`, tab, carriage return) would run in the spreadsheet it is opened
in ("CSV injection"), so it is prefixed with an apostrophe, which spreadsheets show
as text. Spreadsheets fold look-alikes (fullwidth `＝＋－＠`, small `﹦`, the minus
sign `−`) into the operator, and skip invisible format characters (zero-width space,
BOM) in front of it: the first visible character is NFKC-normalised before the check.
This is the one rule; the CSV export (reports/csv.py) asks it too.
"""

import unicodedata
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from reputation.mentions.models import Mention

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Not folded by NFKC, yet read as an operator by spreadsheets.
_MINUS_SIGNS = {"\u2212": "-", "\u2796": "-", "\u2795": "+"}
# Cells written as they are: our own values, never a formula.
_OWN_FIELDS = {"id", "sentiment", "score", "confidence", "corrected", "needs_review"}


def starts_like_formula(text: str) -> bool:
    for char in text:
        if unicodedata.category(char) == "Cf":
            continue  # invisible (zero-width space, BOM...): the spreadsheet skips it
        first = unicodedata.normalize("NFKC", _MINUS_SIGNS.get(char, char))
        return first.startswith(FORMULA_STARTS)
    return False


def neutralise(value):
    """A text cell that cannot start a spreadsheet formula."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    if isinstance(value, list):
        return [neutralise(v) for v in value]
    return value


def parse_since(since: str) -> datetime:
    """The start of `since` (a date or date and time, ISO), aware; ValueError if invalid."""
    try:
        when = parse_datetime(since) or parse_date(since)
    except ValueError:
        when = None  # well-formed but impossible, such as 2024-02-30
    if when is None:
        raise ValueError(f"invalid date {since!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    if not isinstance(when, datetime):
        when = datetime.combine(when, time.min)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def mention_rows(organisation, since: str | None = None):
    mentions = Mention.objects.filter(organisation=organisation).select_related(
        "item", "tracked_name", "source"
    )
    if since:
        mentions = mentions.filter(published__gte=parse_since(since))
    for m in mentions.order_by("published", "pk").iterator(chunk_size=1000):
        row = m.to_dict()
        yield {k: v if k in _OWN_FIELDS else neutralise(v) for k, v in row.items()}
