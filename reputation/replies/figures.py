"""How well an organisation answers: the one computation the dashboard, the
portfolio and the digests show, so the three always say the same.

Over the mentions of its own names published in [start, end) that call for an
answer (rules.needs_answer; not the ignored ones):
- response rate: answered / calling for an answer, in percent (None when none did);
- median response time: answered_at - clock start (publication, or first seen);
- overdue: still open (new, to handle) past their deadline at `now`.
"""

import statistics
import time as clock
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from reputation.mentions.models import Mention
from reputation.replies import rules
from reputation.replies.models import ReplySettings

# The figures read every candidate mention of the period (0.75 s for a client with a
# million mentions): they are kept this long per organisation, and forgotten at once
# when a person answers or corrects one of its mentions (mentions.signals.triaged).
# New mentions show in them within this delay. Storing each mention's due date would
# let the database count them instead.
KEEP_SECONDS = 300


def _version(org_id: int) -> int:
    return cache.get(f"replies-figures:{org_id}") or 0


def forget(organisation_id: int, **kwargs) -> None:
    """Receiver of mentions.signals.triaged (connected by RepliesConfig.ready)."""
    cache.set(f"replies-figures:{organisation_id}", clock.time_ns(), None)


def _kept(org_id: int, what: str, compute, now) -> dict:
    """`compute()`, kept per organisation; only figures of the present are kept (a
    caller passing its own `now` asks for figures of another moment)."""
    if now is not None:
        return compute()
    key = f"replies-figures:{org_id}:{_version(org_id)}:{what}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEEP_SECONDS)
    return found


# The days the portfolio and the digests look back over: the dashboard's default
# period (the last 30 days, today included, in the organisation's time zone).
DAYS = 30
FIELDS = (
    "sentiment", "rating", "snippet", "highlights", "published", "published_known",
    "created", "status", "answered_at", "score", "source__kind",
)  # fmt: skip


def _bounds(organisation, first_day, last_day) -> Q:
    zone = organisation.zone
    start = datetime.combine(first_day, time(0), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    return Q(organisation=organisation, published__gte=start, published__lt=end)


def _candidates(where: Q):
    """The mentions that may call for an answer (the rules decide), in one query."""
    return (
        Mention.objects.own()
        .filter(where)
        .exclude(status="ignored")
        .filter(rules.MAYBE)
        .select_related("source")
        .only("organisation_id", *FIELDS)
    )


def _figures(mentions, reply_settings, now) -> dict:
    needing = answered = overdue = 0
    delays = []
    for mention in mentions:
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

    def compute():
        mentions = _candidates(_bounds(organisation, first_day, last_day))
        moment = now or timezone.now()
        return _figures(mentions.iterator(chunk_size=2000), ReplySettings.of(organisation), moment)

    return _kept(organisation.pk, f"{first_day}:{last_day}", compute, now)


def recent_many(organisations, now=None) -> dict[int, dict]:
    """The figures of each organisation over its last DAYS days (the portfolio's and
    the digests'), in two queries whatever their number (kept: see KEEP_SECONDS)."""
    if not organisations:
        return {}
    if now is None:
        kept = {org.pk: cache.get(_recent_key(org)) for org in organisations}
        missing = [org for org in organisations if kept[org.pk] is None]
        if missing:
            fresh = _recent_many(missing, timezone.now())
            for org in missing:
                cache.set(_recent_key(org), fresh[org.pk], KEEP_SECONDS)
                kept[org.pk] = fresh[org.pk]
        return kept
    return _recent_many(organisations, now)


def _recent_key(org) -> str:
    return f"replies-figures:{org.pk}:{_version(org.pk)}:recent"


def _recent_many(organisations, now) -> dict[int, dict]:
    where = Q(pk__in=[])
    for org in organisations:
        today = now.astimezone(org.zone).date()
        where |= _bounds(org, today - timedelta(days=DAYS - 1), today)
    found = {
        s.organisation_id: s for s in ReplySettings.objects.filter(organisation__in=organisations)
    }
    by_org: dict[int, list] = {org.pk: [] for org in organisations}
    for mention in _candidates(where).iterator(chunk_size=2000):
        by_org[mention.organisation_id].append(mention)
    return {
        org.pk: _figures(by_org[org.pk], found.get(org.pk) or ReplySettings(organisation=org), now)
        for org in organisations
    }


def recent(organisation, now=None) -> dict:
    """The figures over the last DAYS days: the portfolio's and the digests'."""
    return recent_many([organisation], now)[organisation.pk]
