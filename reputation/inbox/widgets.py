"""The inbox's form widgets written by Python, as Django's templates write them.

Django renders a <select> through a template that includes another template for
each <option>, and each text box, date box or tick box through three nested
templates: the inbox's filters have over a hundred options (sources, names,
members, languages, subjects) and a dozen boxes, which cost about a fifth of the
page's CPU. This renderer writes the same HTML, byte for byte (tests/inbox/
test_widgets.py compares both), for Django's own templates of those widgets, and
leaves every other template to Django.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
# Templates that are only {% include "django/forms/widgets/input.html" %}.
INPUTS = {
    WIDGETS + f"{kind}.html"
    for kind in ("text", "search", "email", "url", "tel", "number", "password", "hidden")
    + ("date", "datetime", "time", "color", "checkbox")
}
# Templates that are only {% include "django/forms/widgets/input_option.html" %}: one
# tick box or radio button of a list (`{{ box.tag }}`).
INPUT_OPTIONS = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            shown = "" if value is True else f'="{escape(value)}"'
            out.append(f" {escape(name)}{shown}")
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _input_option(widget: dict) -> str:
    """django/forms/widgets/input_option.html (input.html ends with a newline)."""
    tag = _input(widget)
    if not widget.get("wrap_label"):
        return tag
    target = widget["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{tag}\n {conditional_escape(widget['label'])}</label>"


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


class WidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in INPUTS:
            return mark_safe(_input(widget))  # noqa: S308 (every value escaped above)
        if template_name in INPUT_OPTIONS:
            return mark_safe(_input_option(widget))  # noqa: S308 (every value escaped above)
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            return mark_safe(_select(widget))  # noqa: S308 (every value escaped above)
        return super().render(template_name, context, request)
