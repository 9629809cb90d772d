"""Links to the web, checked again where they are rendered.

Links are cleaned when stored (monitoring/parse/sanitize.py); this filter checks them
once more in the template, so that a row stored before that rule, or by another
path, can never put a `javascript:` or `data:` address in an `href`.
"""

from django import template

from monitoring.parse.sanitize import safe_url as _safe_url

register = template.Library()


@register.filter
def safe_url(value) -> str:
    """The address if it is an absolute http(s) one, otherwise ""."""
    return _safe_url(str(value or ""))
