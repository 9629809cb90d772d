"""Lists of mentions written by Python, as the templates wrote them: the inbox's rows
(one organisation's and every client's) and the dashboard's latest mentions.

Fifty rows through Django's template engine were half of the inbox's CPU: each of
their ~30 variables was looked up through the context, localised and escaped through
several layers, at ~1,500 variables a page. These functions write the same HTML,
byte for byte (tests/inbox/test_rows.py renders the templates they replace beside
them, hostile content included). Every value that comes from a mention, a source,
a person or a tag goes through `_e` (Django's conditional_escape); translations are
written as the templates' {% translate %} wrote them, unescaped.
"""

import html
import unicodedata
from urllib.parse import quote

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reputation.inbox.pages import PLACEHOLDER
from reputation.templatetags.humantime import ago, short_date
from reputation.templatetags.links import safe_url
from reputation.templatetags.snippets import highlight

NEW_TAB = '<span aria-hidden="true"> ↗</span><span class="visually-hidden"> ({})</span>\n'


def _e(value) -> str:
    """Django's conditional_escape (what {{ value }} does), without its lazy wrappers:
    a value already marked safe is kept, anything else made a str and escaped."""
    if type(value) is str:  # most values: plain text, which has no __html__
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _iso(value) -> str:
    """{{ value|date:'c' }}: the date in the current time zone, ISO 8601."""
    return _e(timezone.localtime(value).isoformat())


def _truncated(text, length: int = 160) -> str:
    """{{ text|truncatechars:160 }}, escaped. Django's Truncator walks the text
    character by character; a text no longer than the limit comes back whole (in
    NFC, as Truncator gives it back), without the walk."""
    if type(text) is str:
        # Counted after NFC, as Truncator counts: a few letters grow there.
        shown = unicodedata.normalize("NFC", text)
        if len(shown) <= length:
            return _e(shown)
    return _e(truncatechars(text, length))


def _labels(rows) -> tuple[dict, dict]:
    """Each tone's and status's label on these rows, translated once a page."""
    tones, statuses = {}, {}
    for m in rows:
        if m.sentiment not in tones:
            tones[m.sentiment] = _e(m.get_sentiment_display())
        if m.status not in statuses:
            statuses[m.status] = _e(m.get_status_display())
    return tones, statuses


def _reply_badge(m) -> str:
    """templates/replies/_badge.html, with the newline that ends its file."""
    if m.reply_state == "overdue":
        due = _e(short_date(m.reply_due, True))
        text = _("Answer overdue since %(due)s") % {"due": due}
        return f'<span class="badge reply-overdue" title="{due}">{text}</span>\n'
    if m.reply_state == "due":
        due = _e(short_date(m.reply_due, True))
        text = _("Answer by %(due)s") % {"due": due}
        return f'<span class="badge reply-due" title="{due}">{text}</span>\n'
    return "\n"


def inbox_rows(rows, *, can_write=False, writable=(), clients=False) -> str:
    """The <li> of each mention of an inbox page (`detail_url` set by
    pages.detail_links, `tag_names` by Tag.name_rows, `reply_state` by
    replies.rules.mark for one organisation's inbox). One organisation's inbox:
    `can_write` for its checkboxes, reply badges; every client's (`clients`): a
    checkbox where the organisation is in `writable`, the client's link, no reply
    badge."""
    select = _("Select")
    corrected = f'<span class="badge corrected">{_("corrected")}</span>'
    undated = f' <span class="hint">({_("date not given, day it was found")})</span>'
    tones, statuses = _labels(rows)
    out = []
    for m in rows:
        code = _e(m.code)
        tone = _e(m.sentiment)
        pick = m.organisation_id in writable if clients else can_write
        out.append(
            f'\n    <li class="mention {tone}" id="m-{code}">\n      <div class="meta">\n        '
        )
        if pick:
            out.append(
                f'<label class="pick" for="pick-{code}"><input type="checkbox" '
                f'name="mentions" value="{code}" id="pick-{code}"> {select}</label>'
            )
        if clients:
            org = m.organisation
            out.append(
                f'\n        <a class="client" href="?client={_e(org.code)}">{_e(org.name)}</a>'
            )
        out.append(f'\n        <span class="badge {tone}">{tones[m.sentiment]}</span>\n        ')
        if m.corrected:
            out.append(corrected)
        out.append(
            f'\n        <span class="badge status-{_e(m.status)}">'
            f"{statuses[m.status]}</span>\n        "
        )
        if not clients:
            if m.reply_state:
                out.append(_reply_badge(m))
            out.append("\n        ")
        published = m.published
        out.append(
            f'<span class="tracked">{_e(m.tracked_name.label)}</span>\n        '
            f'<time datetime="{_iso(published)}" title="{_e(short_date(published, True))}">'
            f"{_e(ago(published))}</time>"
        )
        if not m.published_known:
            out.append(undated)
        out.append("\n        ")
        if m.source:
            out.append(f'<span class="source">{_e(m.source_name or m.source)}</span>')
        out.append("\n        ")
        if m.assigned_to:
            who = m.assigned_to
            out.append(f'<span class="assignee">→ {_e(who.get_full_name() or who.email)}</span>')
        out.append("\n        ")
        for name in m.tag_names:  # Tag.name_rows
            out.append(f'<span class="badge tag">{_e(name)}</span>')
        out.append(
            f'\n      </div>\n      <a class="title" href="{_e(m.detail_url)}">'
            f"{_truncated(m.title or m.url)}</a>\n"
            f'      <p class="snippet">{highlight(m.snippet, m.highlights)}</p>\n    </li>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def _addresses(name: str, org) -> tuple[str, str]:
    """The address of `name` for one of `org`'s mentions: before and after its code
    (reversed once a page, not once a row)."""
    head, _code, tail = reverse(name, args=[org.code, PLACEHOLDER]).rpartition(str(PLACEHOLDER))
    return head, tail


def latest_rows(mentions, *, org, here: str, can_write: bool, csrf_token) -> str:
    """The dashboard's latest mentions, each with the form that corrects its tone
    where the user may write. `here` is the page's address (request.get_full_path),
    `csrf_token` the template context's."""
    detail = _addresses("mention-detail", org)
    correct = _addresses("mention-sentiment", org)
    back = _e(quote(here, safe="/"))
    corrected = (
        f'<span class="badge corrected" title="{_("Sentiment corrected by hand")}">'
        f"{_('corrected')}</span>"
    )
    original = (
        f'" title="{_("The page where it was published, in a new tab")}" '
        f'rel="noopener noreferrer nofollow" target="_blank">{_("original")}'
        + NEW_TAB.format(_("opens in a new tab"))
        + "</a>"
    )
    token = ""  # {% csrf_token %}: nothing without one, nor for Django's "NOTPROVIDED"
    if csrf_token and csrf_token != "NOTPROVIDED":  # noqa: S105 (a marker, not a secret)
        token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
    choose = f'\n      <select name="sentiment" aria-label="{_("Correct the sentiment")}">\n'
    options = (("positive", _("Positive")), ("neutral", _("Neutral")), ("negative", _("Negative")))
    form_end = (
        f'\n      </select><button type="submit" class="secondary small">{_("Correct")}</button>'
        "\n    </form>"
    )
    automatic = f'<option value="auto">{_("Automatic")}</option>'
    next_field = f'<input type="hidden" name="next" value="{_e(here)}">'
    out = []
    for m in mentions:
        code = _e(m.code)
        tone = _e(m.sentiment)
        out.append(
            f'\n  <li class="mention {tone}" data-code="{code}">\n    <div class="meta">\n'
            f'      <span class="badge {tone}">{_e(m.get_sentiment_display())}</span>\n      '
        )
        if m.corrected:
            out.append(corrected)
        out.append(
            f'\n      <span class="tracked">{_e(m.tracked_name.label)}</span>\n'
            f'      <time datetime="{_iso(m.published)}">'
            f"{_e(short_date(m.published, True))}</time>\n      "
        )
        if m.source:
            out.append(f'<span class="source">{_e(m.source)}</span>')
        out.append("\n      ")
        if m.needs_review:
            out.append(f'<span class="badge check">{_("to check")}</span>')
        title = _truncated(m.title or m.url or mark_safe("—"))
        out.append(
            f'\n    </div>\n    <a class="title" href="{_e(detail[0])}{code}{_e(detail[1])}'
            f'?back={back}">{title}</a>\n    '
        )
        link = safe_url(m.url)
        if link:
            out.append(f'<a class="original" href="{_e(link)}{original}')
        out.append(f'\n    <p class="snippet">{highlight(m.snippet, m.highlights)}</p>\n    ')
        if can_write:
            out.append(
                f'<form method="post" action="{_e(correct[0])}{code}{_e(correct[1])}" '
                f'class="correct">{token}{next_field}{choose}'
            )
            for value, label in options:
                chosen = " selected" if m.sentiment == value else ""
                out.append(f'        <option value="{value}"{chosen}>{label}</option>\n')
            out.append("        ")
            if m.corrected:
                out.append(automatic)
            out.append(form_end)
        out.append("\n  </li>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
