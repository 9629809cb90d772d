"""The alert scan: new negative mentions -> outbox rows (run every minute by beat).

Mentions are written by the poll with bulk_create, which sends no signal, so the
pipeline calls nothing here: the scan looks for negative mentions that may alert
(`alertable`, published less than ALERT_MAX_AGE_DAYS ago) and that no scan has
claimed yet. It waits until the oldest of an organisation's new mentions is
ALERT_GROUP_SECONDS old, then takes them all at once: ten bad mentions in a
minute make one email. Claims are rows of MentionScan inserted with conflicts
ignored (see its docstring), in the same transaction as the notifications they
cause: a scan that dies leaves the mentions for the next one.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from reputation.alerts import preferences, spikes
from reputation.alerts.models import MentionScan, Notification, NotificationKind, Webhook
from reputation.alerts.severity import severity
from reputation.mentions.models import Mention, Sentiment

BATCH = 500


def candidates(now):
    cutoff = now - timedelta(days=settings.ALERT_MAX_AGE_DAYS)
    return Mention.objects.filter(
        sentiment=Sentiment.NEGATIVE,
        alertable=True,
        published__gte=cutoff,
        alert_scan__isnull=True,
    )


def scan(now=None) -> int:
    """Claim the new negative mentions of every organisation that is due; returns
    the number of notifications written."""
    now = now or timezone.now()
    ripe = now - timedelta(seconds=settings.ALERT_GROUP_SECONDS)
    due = (
        candidates(now)
        .values("organisation_id")
        .annotate(first=Min("created"))
        .filter(first__lte=ripe)
        .values_list("organisation_id", flat=True)
    )
    return sum(scan_organisation(org_id, now) for org_id in list(due))


def scan_organisation(organisation_id: int, now) -> int:
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            candidates(now)
            .filter(organisation_id=organisation_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        MentionScan.objects.bulk_create(
            [MentionScan(mention_id=pk, token=token, scanned=now) for pk in ids],
            ignore_conflicts=True,
        )
        mine = list(
            Mention.objects.filter(alert_scan__token=token).select_related("source", "tracked_name")
        )
        if not mine:
            return 0
        rated = rate(organisation_id, mine, now)
        alert_settings = preferences.org_settings(organisation_id)
        spike = spikes.check(alert_settings, now)
        spike_data = spike_facts(spike) if spike else None
        written, told = instant_notifications(organisation_id, rated, now, spike_data)
        if spike is not None:
            written += spike_notifications(organisation_id, spike, now, told)
    return written


def rate(organisation_id: int, mentions: list, now) -> list[tuple[Mention, int]]:
    """Each mention with its severity (recorded on its scan row), most severe first."""
    recent = (
        Mention.objects.own()
        .filter(
            organisation_id=organisation_id,
            sentiment=Sentiment.NEGATIVE,
            published__gte=now - timedelta(hours=24),
        )
        .count()
    )
    rated = []
    for mention in mentions:
        value = severity(mention, max(0, recent - 1), now)
        rated.append((mention, value))
    rows = [MentionScan(mention_id=m.pk, severity=v) for m, v in rated]
    MentionScan.objects.bulk_update(rows, ["severity"])
    rated.sort(key=lambda pair: (-pair[1], -pair[0].published.timestamp()))
    return rated


def _when(pref, now):
    zone = pref.membership.organisation.zone
    return preferences.quiet_until(pref, zone, now) or now


def instant_notifications(organisation_id: int, rated, now, spike_data=None):
    """One alert per member who wants some of these mentions, and per webhook.

    When a spike starts in the same scan, it is told inside the alert (one email,
    not two). Returns (notifications written, preference and webhook ids told).
    """
    severities = {str(m.pk): v for m, v in rated}
    written, told = 0, set()
    for pref in preferences.recipients(organisation_id):
        if not pref.instant:
            continue
        chosen = [
            m
            for m, value in rated
            if value >= pref.threshold and preferences.wants_name(pref, m.tracked_name)
        ]
        if chosen:
            data = {"severity": severities}
            if spike_data and pref.spikes:
                data["spike"] = spike_data
                told.add(("pref", pref.pk))
            _write(
                organisation_id,
                NotificationKind.INSTANT,
                chosen,
                now,
                preference=pref,
                next_attempt=_when(pref, now),
                data=data,
            )
            written += 1
    # Webhooks carry the organisation's own news (a member may still choose to
    # hear of a competitor by ticking its name, above).
    urgent = [
        m
        for m, value in rated
        if value >= settings.ALERT_WEBHOOK_THRESHOLD and not m.tracked_name.is_competitor
    ]
    if urgent:
        for hook in Webhook.objects.filter(organisation_id=organisation_id, active=True):
            data = {"severity": severities}
            if spike_data:
                data["spike"] = spike_data
                told.add(("hook", hook.pk))
            _write(organisation_id, NotificationKind.INSTANT, urgent, now, webhook=hook, data=data)
            written += 1
    return written, told


def spike_facts(spike) -> dict:
    return {
        "count": spike.count,
        "expected": spike.expected,
        "probability": spike.probability,
        "drivers": spike.drivers,
    }


def spike_notifications(organisation_id: int, spike, now, told=()) -> int:
    """The spike alone, for those its alert did not already reach."""
    data = spike_facts(spike)
    mentions = list(Mention.objects.filter(pk__in=spike.mention_ids))
    written = 0
    for pref in preferences.recipients(organisation_id):
        if pref.spikes and ("pref", pref.pk) not in told:
            _write(
                organisation_id,
                NotificationKind.SPIKE,
                mentions,
                now,
                preference=pref,
                next_attempt=_when(pref, now),
                data=data,
            )
            written += 1
    for hook in Webhook.objects.filter(organisation_id=organisation_id, active=True):
        if ("hook", hook.pk) not in told:
            _write(organisation_id, NotificationKind.SPIKE, mentions, now, webhook=hook, data=data)
            written += 1
    return written


def _write(organisation_id, kind, mentions, now, next_attempt=None, **fields) -> Notification:
    notification = Notification.objects.create(
        organisation_id=organisation_id,
        kind=kind,
        created=now,
        next_attempt=next_attempt or now,
        **fields,
    )
    notification.mentions.set(mentions)
    return notification
