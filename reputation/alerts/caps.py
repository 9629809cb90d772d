"""Detection in time: sources that feed instant alerts are polled at least every
ALERT_POLL_INTERVAL seconds, whatever their usual rhythm.

monitoring knows nothing of alerts: it offers `Source.max_interval`, which the
schedule honours; this sets it on the sources followed by an organisation where
someone wants instant alerts, clears it elsewhere, and brings forward a next poll
planned later than the cap allows. Run by beat every few minutes (follows are
made by pages that know nothing of alerts) and when a preference changes.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from monitoring.models import Source
from reputation.alerts.models import AlertPreference
from reputation.orgs.models import Membership
from reputation.sources.models import Follow


def organisations_with_instant_alerts():
    return Membership.objects.filter(AlertPreference.wants_instant()).values("organisation_id")


def refresh(now=None) -> int:
    """Set or clear the caps; returns the number of sources whose cap changed."""
    now = now or timezone.now()
    cap = settings.ALERT_POLL_INTERVAL
    watched = Follow.objects.filter(organisation_id__in=organisations_with_instant_alerts())
    watched_ids = watched.values("source_id")
    changed = (
        Source.objects.filter(pk__in=watched_ids).exclude(max_interval=cap).update(max_interval=cap)
    )
    changed += (
        Source.objects.filter(max_interval=cap)
        .exclude(pk__in=watched_ids)
        .update(max_interval=None)
    )
    # A hub pushes the new items of pushed sources: no need to poll them so often.
    capped = Source.objects.filter(max_interval=cap).polled(now)
    capped.filter(interval__gt=cap).update(interval=cap)
    capped.filter(next_fetch_at__gt=now + timedelta(seconds=cap)).update(
        next_fetch_at=now + timedelta(seconds=cap)
    )
    return changed
