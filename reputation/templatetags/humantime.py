"""Dates as a shop owner reads them: "à l'instant", "il y a 5 minutes", "1 déc. 2026"."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

register = template.Library()


# Months abbreviated as each language writes them: French "janv.", "juill.", "déc."
# (Django's own French abbreviations give "jan." and "Jui" for both June and July);
# English "Jan.", "June", "Dec.". Lazy: a date translates its own month only (the
# inbox shows about 70 dates a page; translating all twelve each time cost 5 ms).
MONTHS = (
    pgettext_lazy("month abbreviation", "Jan."),
    pgettext_lazy("month abbreviation", "Feb."),
    pgettext_lazy("month abbreviation", "Mar."),
    pgettext_lazy("month abbreviation", "Apr."),
    pgettext_lazy("month abbreviation", "May"),
    pgettext_lazy("month abbreviation", "June"),
    pgettext_lazy("month abbreviation", "July"),
    pgettext_lazy("month abbreviation", "Aug."),
    pgettext_lazy("month abbreviation", "Sept."),
    pgettext_lazy("month abbreviation", "Oct."),
    pgettext_lazy("month abbreviation", "Nov."),
    pgettext_lazy("month abbreviation", "Dec."),
)


def month_abbr(month: int) -> str:
    return str(MONTHS[month - 1])


@register.filter
def day_month(value) -> str:
    """ "7 déc." in French, "7 Dec." in English: the charts' day labels."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {month_abbr(value.month)}"


@register.filter
def short_date(value: datetime | None, with_time: bool = False) -> str:
    """ "1 déc. 2026" in French, "1 Dec. 2026" in English (abbreviations with a dot)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    shown = f"{day_month(value)} {value.year}"
    if with_time:
        shown += f" {value:%H:%M}"
    return shown


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in words, for the last week; the date after that."""
    if value is None:
        return ""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 60:
        # Also for a date slightly in the future (clocks of other sites drift).
        return _("just now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    days = hours // 24
    if days == 1:
        return _("yesterday")
    if days < 7:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    return short_date(value)
