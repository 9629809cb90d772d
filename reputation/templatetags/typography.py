"""French punctuation in one place: a narrow no-break space before ":" ";" "!" "?"
in French ("Mentions : 12"), none in English ("Mentions: 12"). Templates write
`{% colon "Mentions" %}` or `{{ text|colon }}` rather than a bare ":" after a
translated word, so the rule is not re-typed (and forgotten) in each template."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

NARROW_NBSP = "\u202f"


def french() -> bool:
    return (get_language() or "").startswith("fr")


@register.filter(name="colon")
def with_colon(text) -> str:
    """ "Mentions" -> "Mentions :" (narrow no-break space) in French, "Mentions:" in English."""
    return f"{text}{NARROW_NBSP if french() else ''}:"


@register.simple_tag(name="colon")
def translated_colon(msgid: str) -> str:
    """{% colon "Mentions" %}: the translation of the label, then its colon."""
    return with_colon(_(msgid))
