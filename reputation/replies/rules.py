"""Which mentions call for an answer, and by when: the one rule every page, email
and figure asks (the inbox's badges, the mention page, the figures, the digest).

A mention calls for an answer when it is negative, when it is a review (it has
stars: customers read the answers), or when its author asks a question near the
name: a "?" in the sentence that holds the name, or a sentence that starts with a
question word ("comment", "pourquoi", "est-ce que", "how", "does"...). Only the
snippet counts: it is the author's own text, where a title may be a thread's.

The clock starts at publication (or when it was first seen, if the source gave no
date). A negative mention whose severity at publication reaches the organisation's
threshold is due within `severe_hours`; any other within `review_days`. Severity is
the alerts' (alerts/severity.py) computed as of publication and alone, so the
deadline never moves with time nor with later mentions.
"""

import re
from datetime import timedelta

from django.db.models import Q

from reputation.alerts.severity import severity

QUESTION_WORDS = (
    # French: words that open a question, not a story ("quand je suis arrivé..." is none)
    "est-ce que", "est-ce qu'", "pourquoi", "comment faire", "comment peut-on", "avez-vous",
    "pouvez-vous", "savez-vous", "peut-on", "faut-il", "y a-t-il", "quelqu'un sait",
    "quelqu'un a",
    # English
    "why", "how do", "how can", "does", "do you", "is there", "are there", "can you",
    "can anyone", "could you", "has anyone", "anyone know",
)  # fmt: skip
_SENTENCE = re.compile(r"[^.!?\n]*[.!?\n]?")
_STARTS = re.compile(
    r"^\W*(?:" + "|".join(re.escape(w) for w in QUESTION_WORDS) + r")(?:(?<=')|(?!\w))",
    re.IGNORECASE,
)
NEAR = 200  # characters either side of the name when the snippet has no sentence ends

# A filter the database can apply first (rules below decide): every mention that
# may call for an answer passes it.
MAYBE = Q(sentiment="negative") | Q(rating__isnull=False) | Q(snippet__contains="?")
for _word in QUESTION_WORDS:
    MAYBE |= Q(snippet__icontains=_word)

OPEN = ("new", "todo")
ANSWERED = "answered"


def _sentences_near_name(mention) -> list[str]:
    text = (mention.snippet or "")[:5000]
    spans = [h for h in (mention.highlights or []) if isinstance(h, list | tuple) and len(h) == 2]
    if not spans:
        return [s for s in _SENTENCE.findall(text) if s.strip()]
    out = []
    for start, end in spans[:10]:
        try:
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            continue
        lo = max(0, start - NEAR)
        hi = min(len(text), end + NEAR)
        for match in _SENTENCE.finditer(text, lo, hi):
            if match.start() <= end and match.end() >= start and match.group().strip():
                out.append(match.group())
    return out


def is_question(mention) -> bool:
    for sentence in _sentences_near_name(mention):
        if sentence.rstrip().endswith("?") or _STARTS.match(sentence.strip()):
            return True
    return False


def needs_answer(mention) -> bool:
    """Whether the mention calls for an answer (negative, a review, a question)."""
    return mention.sentiment == "negative" or mention.rating is not None or is_question(mention)


def clock_start(mention):
    """When the clock of the answer starts: publication, or first seen."""
    return mention.published if mention.published_known else mention.created


def is_severe(mention, reply_settings) -> bool:
    if mention.sentiment != "negative":
        return False
    return severity(mention, 0, mention.published) >= reply_settings.severe_from


def deadline(mention, reply_settings):
    """When the answer is due; None when the mention calls for none."""
    if not needs_answer(mention):
        return None
    if is_severe(mention, reply_settings):
        return clock_start(mention) + timedelta(hours=reply_settings.severe_hours)
    return clock_start(mention) + timedelta(days=reply_settings.review_days)


def state(mention, reply_settings, now) -> str:
    """ "answered", "overdue", "due" (still in time), or "" (calls for no answer,
    or handled otherwise: ignored or handled without a public answer)."""
    if mention.status == ANSWERED:
        return ANSWERED
    if mention.status not in OPEN:
        return ""
    due = deadline(mention, reply_settings)
    if due is None:
        return ""
    return "overdue" if due < now else "due"


def mark(mentions, reply_settings, now) -> None:
    """Put each mention's answer state and deadline on it, for a page to show
    (`reply_state`, `reply_due`): the inbox's badges, the mention page."""
    for mention in mentions:
        mention.reply_state = state(mention, reply_settings, now)
        mention.reply_due = deadline(mention, reply_settings) if mention.reply_state else None
