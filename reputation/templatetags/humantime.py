"""Dates as a shop owner reads them: "à l'instant", "il y a 5 minutes", "1 déc. 2026"."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def short_date(value: datetime | None, with_time: bool = False) -> str:
    """ "1 déc. 2026" in French, "1 Dec. 2026" in English (abbreviations with a dot)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "j N Y H:i" if with_time else "j N Y")


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
