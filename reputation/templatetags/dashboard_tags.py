import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reputation.inbox.rows import latest_rows

register = template.Library()


def _signed(n: int) -> str:
    return ("+" if n > 0 else "−") + str(abs(n))  # a real minus sign, not a hyphen


@register.filter
def signed_change(value) -> str:
    """A change against the previous period as people read it: "+12 %", "−5 %", or
    in mentions ("+3 mentions", "new") when the base is too small for a percentage
    (figures.change decides)."""
    if value is None:
        return _("nothing before")
    if isinstance(value, int):  # points of the index
        return _("stable") if value == 0 else f"{_signed(value)} %"
    if value.diff == 0:
        return _("stable")
    if value.is_new:
        return _("new")
    if value.percent is None:
        return ngettext("%(n)s mention", "%(n)s mentions", abs(value.diff)) % {
            "n": _signed(value.diff)
        }
    return f"{_signed(value.percent)} %" if value.percent else _("stable")


@register.filter
def change_class(value) -> str:
    diff = getattr(value, "diff", value)
    if not diff:
        return "flat"
    return "up" if diff > 0 else "down"


@register.simple_tag(takes_context=True)
def latest_mentions(context, mentions, org, can_write):
    """The latest mentions' <li>s, written by Python (inbox/rows.py): the page's
    address and its CSRF token come from the template's context."""
    return latest_rows(
        mentions,
        org=org,
        here=context["request"].get_full_path(),
        can_write=can_write,
        csrf_token=context.get("csrf_token"),
    )


@register.filter(is_safe=True)
def chart_json(value, element_id: str):
    """Django's json_script, to the byte (tests/dashboard/test_chart_json.py): its
    escapes of <, > and & go through str.translate, which maps the text a character
    at a time when a character becomes several; the dashboard's charts are 50 kB
    of JSON, a few ms a page. Three replaces give the same text."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    text = text.replace(">", "\\u003E").replace("<", "\\u003C").replace("&", "\\u0026")
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text),  # noqa: S308 (JSON with <, > and & escaped, as json_script does)
    )
