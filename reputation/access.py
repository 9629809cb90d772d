"""Access helpers: one per object kind, used by every view.

Each returns the object only if the user's organisation owns it: outsiders get a
404 (they must not learn that the object exists), read-only roles a 403 when the
view writes. Queries are scoped to the organisation up front, never checked after.
What each role may do is the roles table in README ("Security"): `write` is for
members and up, `manage` for admins and owners, `own` for owners only.
"""

import zoneinfo

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.sources.models import Follow


def get_membership(
    request, code, write: bool = False, manage: bool = False, own: bool = False
) -> Membership:
    """The user's membership of the organisation with this code (404 otherwise);
    403 when the role may not do what `write`, `manage` or `own` ask."""
    if not request.user.is_authenticated:
        raise Http404
    # All the user's memberships in one query: the client switcher shown on every
    # page (templatetags/switcher.py) reuses them.
    memberships = list(
        Membership.objects.select_related("organisation")
        .filter(user=request.user)
        .order_by("organisation__name")
    )
    request.memberships = memberships
    membership = next((m for m in memberships if str(m.organisation.code) == str(code)), None)
    if membership is None:
        raise Http404
    check_write(membership, write, manage)
    if own and not membership.is_owner:
        raise PermissionDenied
    activate_time_zone(membership.organisation)
    return membership


def activate_time_zone(org) -> None:
    """Show the organisation's pages in its time zone (reset for every request by
    reputation.accounts.middleware)."""
    try:
        timezone.activate(zoneinfo.ZoneInfo(org.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


def check_write(membership: Membership, write: bool, manage: bool = False) -> None:
    if (write and not membership.can_write) or (manage and not membership.can_manage):
        raise PermissionDenied


def get_tracked(
    membership: Membership, tracked_code, write: bool = False, manage: bool = False
) -> TrackedName:
    """The organisation's tracked name with this public code (404 otherwise)."""
    tracked = get_object_or_404(
        TrackedName, organisation=membership.organisation, code=tracked_code
    )
    check_write(membership, write, manage)
    tracked.organisation = membership.organisation
    return tracked


def get_mention(membership: Membership, mention_code, write: bool = False) -> Mention:
    """The organisation's mention with this public code (404 otherwise)."""
    mention = get_object_or_404(Mention, organisation=membership.organisation, code=mention_code)
    check_write(membership, write)
    mention.organisation = membership.organisation
    return mention


def get_follow(
    membership: Membership, source_code, write: bool = False, manage: bool = False
) -> Follow:
    """The organisation's follow of the source with this public code (404 otherwise)."""
    follow = get_object_or_404(
        Follow.objects.select_related("source"),
        organisation=membership.organisation,
        source__code=source_code,
    )
    check_write(membership, write, manage)
    follow.organisation = membership.organisation
    return follow
