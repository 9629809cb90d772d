"""Who hears about what: members' preferences, with defaults that need no setting.

The owner and administrators of an organisation get instant alerts and the weekly
digest from the start; other members get nothing until they ask. A preference row
is created the first time it is needed, with those defaults.
"""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from reputation.alerts.models import AlertPreference, AlertSettings, DigestFrequency
from reputation.names.models import TrackedKind
from reputation.orgs.models import Membership, Role


def defaults_for(role: str) -> dict:
    managing = role in (Role.OWNER, Role.ADMIN)
    return {
        "instant": managing,
        "spikes": managing,
        "monthly_report": managing,
        "digest": DigestFrequency.WEEKLY if managing else DigestFrequency.OFF,
        "language": settings.LANGUAGE_CODE,
    }


def preference_for(membership: Membership) -> AlertPreference:
    pref, _ = AlertPreference.objects.get_or_create(
        membership=membership, defaults=defaults_for(membership.role)
    )
    return pref


def ensure_all() -> int:
    """Give every membership its preference (digests go out without any visit)."""
    missing = Membership.objects.filter(alert_preference__isnull=True)
    rows = [AlertPreference(membership=m, **defaults_for(m.role)) for m in missing]
    AlertPreference.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def recipients(organisation_id: int) -> list[AlertPreference]:
    """Every member's preference (created with the defaults when missing)."""
    memberships = Membership.objects.filter(organisation_id=organisation_id).exclude(
        alert_preference__isnull=False
    )
    for membership in memberships:
        preference_for(membership)
    return list(
        AlertPreference.objects.filter(membership__organisation_id=organisation_id)
        .select_related("membership__user", "membership__organisation")
        .prefetch_related("tracked_names")
    )


def org_settings(organisation_id: int) -> AlertSettings:
    found, _ = AlertSettings.objects.get_or_create(organisation_id=organisation_id)
    return found


def wants_name(pref: AlertPreference, tracked_name) -> bool:
    """Chosen names, or by default the organisation's own (competitors are not news)."""
    chosen = {t.pk for t in pref.tracked_names.all()}
    if chosen:
        return tracked_name.pk in chosen
    return tracked_name.kind != TrackedKind.COMPETITOR


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def in_quiet_hours(start: time | None, end: time | None, local: datetime) -> bool:
    if start is None or end is None or start == end:
        return False
    now = local.time()
    if start < end:
        return start <= now < end
    return now >= start or now < end  # across midnight, e.g. 22:00-07:00


def quiet_until(pref: AlertPreference, tz_name: str, now: datetime | None = None):
    """When the member's quiet hours end, if they are in them now (else None)."""
    now = now or timezone.now()
    local = now.astimezone(zone(tz_name))
    if not in_quiet_hours(pref.quiet_start, pref.quiet_end, local):
        return None
    end = local.replace(
        hour=pref.quiet_end.hour, minute=pref.quiet_end.minute, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(UTC)
