"""A reply draft for a mention: which case it is, which wording, filled with the
mention's own words and the organisation's settings only.

Nothing is invented: the author's name as the source gave it, the label of an aspect
the mention speaks of (monitoring/sentiment/aspects.py, found in its own text), the
organisation's name, signature and private contact. Nothing else from the mention
(no snippet, no address) and nothing from elsewhere goes in: a public answer must
not carry personal data.
"""

import re

from django.utils import translation

from reputation.dashboard.stats import ASPECT_LABELS
from reputation.replies import rules
from reputation.replies.defaults import LANGUAGES, default_body
from reputation.replies.models import Case, ReplySettings, ReplyTemplate

# Complaint cases by aspect, the most serious first when a mention speaks of several.
COMPLAINTS = (
    ("hygiene", Case.HYGIENE),
    ("reception", Case.RECEPTION),
    ("staff", Case.RECEPTION),
    ("delays", Case.DELAYS),
    ("price", Case.PRICE),
    ("quality", Case.QUALITY),
)
PLACEHOLDER = re.compile(r"\{(author|aspect|organisation|contact|signature)\}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f<>]")
AUTHOR_MAX = 60


def case_of(mention) -> str:
    aspects = [a for a in (mention.aspects or []) if isinstance(a, str)]
    if mention.sentiment == "negative":
        for aspect, case in COMPLAINTS:
            if aspect in aspects:
                return case
        return Case.NEGATIVE
    if rules.is_question(mention) and mention.rating is None:
        return Case.QUESTION
    # Thanks for praise only where the mention praises: a neutral review is thanked
    # for its time, never told "we are glad you enjoyed" what it did not praise.
    return Case.POSITIVE if mention.sentiment == "positive" else Case.REVIEW


def aspect_of(mention, case: str) -> str:
    """The aspect key the draft names: the complaint's, or the first one found."""
    aspects = [a for a in (mention.aspects or []) if a in ASPECT_LABELS]
    for aspect, found_case in COMPLAINTS:
        if found_case == case and aspect in aspects:
            return aspect
    return aspects[0] if aspects and case == Case.POSITIVE else ""


def language_of(mention) -> str:
    lang = (mention.language or "").split("-")[0].lower()
    return lang if lang in LANGUAGES else mention.organisation.language


def body_for(organisation, case: str, language: str) -> str:
    own = (
        ReplyTemplate.objects.filter(organisation=organisation, case=case, language=language)
        .values_list("body", flat=True)
        .first()
    )
    return own or default_body(case, language)


def clean_author(author: str) -> str:
    """The author's name as a name: no markup, no line breaks, not a paragraph."""
    name = " ".join(_CONTROL.sub(" ", author or "").split())
    return name if len(name) <= AUTHOR_MAX else ""


def fill(body: str, values: dict[str, str]) -> str:
    """Put the values in; a line whose placeholder is empty is left out, except the
    author, whose absence only drops the name ("Bonjour," rather than "Bonjour ,")."""
    lines = []
    for line in body.splitlines():
        names = PLACEHOLDER.findall(line)
        if any(not values.get(n) for n in names if n != "author"):
            continue
        if not values.get("author"):
            line = re.sub(r" ?\{author\}", "", line)
        lines.append(PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def draft(mention, reply_settings: ReplySettings | None = None) -> dict:
    """{"case", "language", "text"} for the mention; the organisation is the mention's."""
    org = mention.organisation
    reply_settings = reply_settings or ReplySettings.of(org)
    case = case_of(mention)
    language = language_of(mention)
    aspect = aspect_of(mention, case)
    with translation.override(language):
        label = str(ASPECT_LABELS[aspect]).lower() if aspect else ""
    values = {
        "author": clean_author(mention.author),
        "aspect": label,
        "organisation": org.name,
        "contact": reply_settings.contact,
        "signature": reply_settings.signature.strip() or org.name,
    }
    return {
        "case": case,
        "language": language,
        "text": fill(body_for(org, case, language), values),
    }
