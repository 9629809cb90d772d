from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def signed_change(value: int | None) -> str:
    """A change against the previous period as people read it: "+12 %", "−5 %"."""
    if value is None:
        return _("nothing before")
    if value == 0:
        return _("stable")
    sign = "+" if value > 0 else "−"  # a real minus sign, not a hyphen
    return f"{sign}{abs(value)} %"


@register.filter
def change_class(value: int | None) -> str:
    if not value:
        return "flat"
    return "up" if value > 0 else "down"
