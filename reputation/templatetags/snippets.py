"""Template filters for item text, which is untrusted: everything is escaped."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from monitoring.matching.excerpt import merge_spans

register = template.Library()


def _spans(highlights, length: int) -> list[tuple[int, int]]:
    """Valid, sorted, non-overlapping (start, end) pairs within the text."""
    spans = []
    for pair in highlights or []:
        try:
            start, end = int(pair[0]), int(pair[1])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            spans.append((start, end))
    return merge_spans(spans)


@register.filter(is_safe=True)
def highlight(text, highlights):
    """Render `text` escaped, with the [[start, end], ...] offsets wrapped in <mark>.

    Offsets index the raw text, so the text is cut first and each piece escaped on
    its own: escaping first would shift them.
    """
    text = "" if text is None else str(text)
    out, pos = [], 0
    for start, end in _spans(highlights, len(text)):
        out.append(escape(text[pos:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
