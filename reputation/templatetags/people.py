"""How people are shown to those who may not see their addresses (viewers)."""

from django import template

from reputation.accounts.addresses import masked

register = template.Library()


@register.filter
def masked_email(value: str) -> str:
    return masked(value)
