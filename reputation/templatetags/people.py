"""How people are shown to those who may not see their addresses (viewers)."""

from django import template

register = template.Library()


@register.filter
def masked_email(value: str) -> str:
    """ "d…@example.org" for "dan@example.org": who it is, without an address to
    write to or collect (a viewer reads the organisation's work, not its contacts).
    Anything else (a person's name) is shown as it is."""
    local, at, domain = str(value).partition("@")
    if not at:
        return str(value)
    return f"{local[:1]}…@{domain}"
