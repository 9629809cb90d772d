"""Daily and weekly digests: what was said, the most important first, the trend.

`create_due` (hourly, by beat) writes one digest Notification per member and
period once the period is over and it is ALERT_DIGEST_HOUR in the organisation's
time zone; the unique (preference, kind, period_start) makes a second run create
nothing. The figures are read when the email is built (`summary`).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from monitoring.models import Source, SourceState
from monitoring.parse.sanitize import safe_url
from monitoring.pipeline.health import is_silent
from reputation.alerts import preferences
from reputation.alerts.models import (
    AlertPreference,
    DigestFrequency,
    Notification,
    NotificationKind,
)
from reputation.alerts.severity import severity
from reputation.mentions.models import Mention, Sentiment
from reputation.orgs.models import Organisation
from reputation.replies import figures as reply_figures
from reputation.reports.monthly import counts
from reputation.sources.models import Follow

LENGTH = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
TOP = 10


def period_for(frequency: str, local_now: datetime) -> tuple[datetime, datetime]:
    """The last complete period before `local_now`: yesterday, or last Monday-Sunday."""
    today = datetime.combine(local_now.date(), time(0), tzinfo=local_now.tzinfo)
    end = today if frequency == DigestFrequency.DAILY else today - timedelta(days=today.weekday())
    return end - LENGTH[frequency], end


def create_due(now=None) -> int:
    now = now or timezone.now()
    written = 0
    preferences.ensure_all()
    prefs = AlertPreference.objects.exclude(digest=DigestFrequency.OFF).select_related(
        "membership__organisation"
    )
    for pref in prefs:
        zone = pref.membership.organisation.zone
        local = now.astimezone(zone)
        if local.hour < settings.ALERT_DIGEST_HOUR:
            continue
        start, end = period_for(pref.digest, local)
        if pref.last_digest_at and pref.last_digest_at >= end:
            continue
        if not worth_sending(pref.membership.organisation_id, start, end):
            # An empty digest every day would teach people to ignore them.
            AlertPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(
                    organisation_id=pref.membership.organisation_id,
                    preference=pref,
                    kind=NotificationKind.DIGEST,
                    period_start=start,
                    created=now,
                    next_attempt=preferences.quiet_until(pref, zone, now) or now,
                    data={"end": end.isoformat(), "frequency": pref.digest},
                )
        except IntegrityError:
            pass  # this period's digest exists already
        else:
            written += 1
        AlertPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
    return written


def worth_sending(organisation_id: int, start, end) -> bool:
    """Something to say: mentions in the period, a followed source in trouble, or
    answers overdue (the digest reminds them)."""
    said = Mention.objects.filter(
        organisation_id=organisation_id, published__gte=start, published__lt=end
    ).exists()
    followed = Follow.objects.filter(organisation_id=organisation_id).values("source_id")
    trouble = Source.objects.filter(pk__in=followed).filter(
        Q(error_count__gt=0) | Q(state=SourceState.PAUSED)
    )
    if said or trouble.exists():
        return True
    organisation = Organisation.objects.get(pk=organisation_id)
    return reply_figures.recent(organisation, end)["overdue"] > 0


def summary(notification, now) -> dict:
    """The digest's figures for the member's names over its period."""
    pref = notification.preference
    start = notification.period_start
    end = datetime.fromisoformat(notification.data["end"])
    mentions = Mention.objects.filter(organisation_id=notification.organisation_id)
    names = list(pref.tracked_names.values_list("pk", flat=True))
    mentions = mentions.filter(tracked_name__in=names) if names else mentions.own()
    # The report's counting: a digest and a report of the same days say the same figures.
    current = counts(mentions.filter(published__gte=start, published__lt=end))
    previous = counts(mentions.filter(published__gte=start - (end - start), published__lt=start))
    new = list(
        mentions.filter(published__gte=start, published__lt=end)
        .select_related("source", "tracked_name")
        .order_by("-published")[:200]
    )
    negatives = sum(1 for m in new if m.sentiment == Sentiment.NEGATIVE)
    # The most important first: negative by severity, then the others by strength.
    ranked = sorted(
        new,
        key=lambda m: (
            m.sentiment != Sentiment.NEGATIVE,
            -severity(m, negatives, end) if m.sentiment == Sentiment.NEGATIVE else -abs(m.score),
        ),
    )
    return {
        "start": start,
        "end": end,
        "last_day": end - timedelta(days=1),
        "current": current,
        "previous": previous,
        "trend": {k: current[k] - previous[k] for k in current},
        "top": [_row(m) for m in ranked[:TOP]],
        "sources": source_problems(notification.organisation_id, now),
        # The organisation's answers, as its dashboard and the portfolio count them.
        "replies": reply_figures.recent(notification.organisation, now),
    }


def _row(m) -> dict:
    return {
        "title": m.title or m.snippet[:80],
        "url": safe_url(m.url),
        "snippet": m.snippet,
        "sentiment": m.get_sentiment_display(),
        "name": m.tracked_name.label,
        "source": (m.source.title or m.source.url) if m.source_id else "",
        "published": m.published,
    }


def source_problems(organisation_id: int, now) -> dict:
    """Followed sources that fail (error, paused) or went silent."""
    ids = Follow.objects.filter(organisation_id=organisation_id).values("source_id")
    sources = list(Source.objects.filter(pk__in=ids).defer("config"))
    failing = [s for s in sources if s.state == SourceState.PAUSED or s.error_count]
    silent = [s for s in sources if s not in failing and is_silent(s, now)]
    return {
        "failing": [{"name": s.title or s.url, "error": s.last_error} for s in failing],
        "silent": [{"name": s.title or s.url} for s in silent],
    }
