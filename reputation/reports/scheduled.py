"""Sending the monthly report: on the 1st, once it is ALERT_DIGEST_HOUR in the
organisation's time zone, one Notification per member who wants it (by default
the owner and administrators), unique per member and month like digests."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from reputation.alerts import preferences
from reputation.alerts.models import AlertPreference, Notification, NotificationKind
from reputation.reports.monthly import previous_month


def create_due(now=None) -> int:
    now = now or timezone.now()
    preferences.ensure_all()
    written = 0
    prefs = AlertPreference.objects.filter(monthly_report=True).select_related(
        "membership__organisation"
    )
    for pref in prefs:
        org_id = pref.membership.organisation_id
        zone = pref.membership.organisation.zone
        local = now.astimezone(zone)
        this_month = datetime(local.year, local.month, 1, tzinfo=local.tzinfo)
        if local.day == 1 and local.hour < settings.ALERT_DIGEST_HOUR:
            continue
        if pref.membership.organisation.created >= this_month:
            continue  # no complete month to report on yet
        start = previous_month(this_month)
        done = Notification.objects.filter(
            preference=pref, kind=NotificationKind.REPORT, period_start=start
        )
        if done.exists():
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(
                    organisation_id=org_id,
                    preference=pref,
                    kind=NotificationKind.REPORT,
                    period_start=start,
                    created=now,
                    next_attempt=preferences.quiet_until(pref, zone, now) or now,
                )
        except IntegrityError:
            continue  # created by another run at the same moment
        written += 1
    return written
