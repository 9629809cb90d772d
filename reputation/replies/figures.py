"""How well an organisation answers: the one computation the dashboard, the
portfolio and the digests show, so the three always say the same.

Over the mentions of its own names published in [start, end) that call for an
answer (rules.needs_answer; not the ignored ones):
- response rate: answered / calling for an answer, in percent (None when none did);
- median response time: answered_at - clock start (publication, or first seen);
- overdue: still open (new, to handle) past their deadline at `now`.
"""

import statistics
from datetime import datetime, time, timedelta

from django.utils import timezone

from reputation.mentions.models import Mention
from reputation.replies import rules
from reputation.replies.models import ReplySettings

# The days the portfolio and the digests look back over: the dashboard's default
# period (the last 30 days, today included, in the organisation's time zone).
DAYS = 30
FIELDS = (
    "sentiment", "rating", "snippet", "highlights", "published", "published_known",
    "created", "status", "answered_at", "score", "source__kind",
)  # fmt: skip


def candidates(organisation, start, end):
    """The mentions of the period that may call for an answer (the rules decide)."""
    return (
        Mention.objects.own()
        .filter(organisation=organisation, published__gte=start, published__lt=end)
        .exclude(status="ignored")
        .filter(rules.MAYBE)
        .select_related("source")
        .only(*FIELDS)
    )


def response(organisation, start, end, now=None) -> dict:
    now = now or timezone.now()
    reply_settings = ReplySettings.of(organisation)
    needing = answered = overdue = 0
    delays = []
    for mention in candidates(organisation, start, end).iterator(chunk_size=2000):
        if not rules.needs_answer(mention):
            continue
        needing += 1
        state = rules.state(mention, reply_settings, now)
        if state == rules.ANSWERED:
            answered += 1
            if mention.answered_at:
                delay = mention.answered_at - rules.clock_start(mention)
                delays.append(max(0.0, delay.total_seconds()))
        elif state == "overdue":
            overdue += 1
    return {
        "needing": needing,
        "answered": answered,
        "rate": round(100 * answered / needing) if needing else None,
        "median": timedelta(seconds=statistics.median(delays)) if delays else None,
        "overdue": overdue,
    }


def for_days(organisation, first_day, last_day, now=None) -> dict:
    """The figures over whole days of the organisation's time zone (last day included):
    the dashboard's period."""
    zone = organisation.zone
    start = datetime.combine(first_day, time(0), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    return response(organisation, start, end, now)


def recent(organisation, now=None) -> dict:
    """The figures over the last DAYS days: the portfolio's and the digests'."""
    now = now or timezone.now()
    today = now.astimezone(organisation.zone).date()
    return for_days(organisation, today - timedelta(days=DAYS - 1), today, now)
