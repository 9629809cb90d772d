from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration_short(value: timedelta | None) -> str:
    """A delay as people say it: "4 min", "2 h 05", "3 d"."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds < 3600:
        return _("%(n)d min") % {"n": max(1, round(seconds / 60))}
    if seconds < 2 * 86400:
        return _("%(h)d h %(m)02d") % {"h": seconds // 3600, "m": seconds % 3600 // 60}
    return _("%(n)d d") % {"n": seconds // 86400}
