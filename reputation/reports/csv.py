"""Mentions as CSV that opens right in Excel, French locale included.

- UTF-8 with a byte order mark: without it Excel reads the file as Windows-1252
  and "Société" becomes "SociÃ©tÃ©";
- `;` as separator: French Excel uses the comma for decimals and splits on `;`;
- decimals written with a comma for the same reason;
- cells starting with = + - @ (or tab / carriage return, or a look-alike such as
  the fullwidth ＝) are prefixed with a quote: mention texts come from the web, and
  Excel would run them as formulas (CSV injection, OWASP). The rule is
  reputation.mentions.export.starts_like_formula, shared with the JSON-lines export.
"""

import csv
import io

from django.utils import timezone

from reputation.mentions.export import starts_like_formula

BOM = "\ufeff"
HEADER = [
    "published",
    "name",
    "sentiment",
    "score",
    "corrected",
    "status",
    "title",
    "url",
    "author",
    "source",
    "snippet",
]


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if starts_like_formula(text):
        return "'" + text
    return text


def _decimal(value: float) -> str:
    return f"{value:.3f}".replace(".", ",")


def row(m) -> list[str]:
    published = timezone.localtime(m.published).strftime("%Y-%m-%d %H:%M")
    return [
        published,
        neutralise(m.tracked_name.label),
        m.get_sentiment_display(),
        _decimal(m.score),
        "1" if m.corrected else "0",
        m.get_status_display(),
        neutralise(m.title),
        neutralise(m.url),
        neutralise(m.author),
        neutralise((m.source.title or m.source.url) if m.source_id else ""),
        neutralise(m.snippet),
    ]


def header() -> list[str]:
    from django.utils.translation import gettext as _

    labels = {
        "published": _("Published"),
        "name": _("Name"),
        "sentiment": _("Sentiment"),
        "score": _("Score"),
        "corrected": _("Corrected"),
        "status": _("Status"),
        "title": _("Title"),
        "url": _("Address"),
        "author": _("Author"),
        "source": _("Source"),
        "snippet": _("Excerpt"),
    }
    return [labels[key] for key in HEADER]


def stream(mentions):
    """Yield the CSV chunk by chunk (for a StreamingHttpResponse): BOM, header, rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header())
    yield BOM + buffer.getvalue()
    qs = mentions.select_related("source", "tracked_name")
    for m in qs.iterator(chunk_size=1000):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row(m))
        yield buffer.getvalue()


def render(mentions) -> str:
    return "".join(stream(mentions))
