"""Who hears about what: members' preferences, with defaults that need no setting.

Owners and administrators of an organisation get instant alerts from the start,
every member the weekly digest, owners the monthly report
(AlertPreference.defaults_for). A preference row is created the first time it is
needed, with those defaults.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from reputation.alerts.models import AlertPreference, AlertSettings
from reputation.orgs.models import Membership


def preference_for(membership: Membership) -> AlertPreference:
    pref, _ = AlertPreference.objects.get_or_create(
        membership=membership, defaults=AlertPreference.defaults_for(membership.role)
    )
    return pref


def ensure_all() -> int:
    """Give every membership its preference (digests go out without any visit)."""
    missing = Membership.objects.filter(alert_preference__isnull=True)
    rows = [AlertPreference(membership=m, **AlertPreference.defaults_for(m.role)) for m in missing]
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
    return not tracked_name.is_competitor


def in_quiet_hours(start: time | None, end: time | None, local: datetime) -> bool:
    if start is None or end is None or start == end:
        return False
    now = local.time()
    if start < end:
        return start <= now < end
    return now >= start or now < end  # across midnight, e.g. 22:00-07:00


def quiet_until(pref: AlertPreference, zone: ZoneInfo, now: datetime | None = None):
    """When the member's quiet hours end, if they are in them now (else None); hours
    of the organisation's time zone (Organisation.zone)."""
    now = now or timezone.now()
    local = now.astimezone(zone)
    if not in_quiet_hours(pref.quiet_start, pref.quiet_end, local):
        return None
    end = local.replace(
        hour=pref.quiet_end.hour, minute=pref.quiet_end.minute, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(UTC)
