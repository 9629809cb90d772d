"""The inbox's drop-down lists written by Python, as Django's templates write them.

Django renders a <select> through a template that includes another template for
each <option>: the inbox's filters have over a hundred options (sources, names,
members, languages, subjects), which cost about a sixth of the page's CPU. This
renderer writes the same HTML, byte for byte (tests/inbox/test_selects.py compares
both), and leaves every other widget to Django's templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            shown = "" if value is True else f'="{escape(value)}"'
            out.append(f" {escape(name)}{shown}")
    return "".join(out)


def _select(widget: dict) -> str:
    out = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            out.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")  # Django's renderer strips the template's last newline
    return "".join(out)


class SelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            return mark_safe(_select(widget))  # noqa: S308 (every value escaped above)
        return super().render(template_name, context, request)
