"""Access helpers: one per object kind, used by every view.

Each returns the object only if the user's organisation owns it: outsiders get a
404 (they must not learn that the object exists), read-only roles a 403 when the
view writes. Queries are scoped to the organisation up front, never checked after.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from reputation.models import Follow, Membership, Mention, TrackedName


def get_membership(request, code, write: bool = False, manage: bool = False) -> Membership:
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=request.user, organisation__code=code)
        .first()
    )
    if membership is None:
        raise Http404
    if (write and not membership.can_write) or (manage and not membership.can_manage):
        raise PermissionDenied
    return membership


def check_write(membership: Membership, write: bool) -> None:
    if write and not membership.can_write:
        raise PermissionDenied


def get_tracked(membership: Membership, tracked_code, write: bool = False) -> TrackedName:
    """The organisation's tracked name with this public code (404 otherwise)."""
    tracked = get_object_or_404(
        TrackedName, organisation=membership.organisation, code=tracked_code
    )
    check_write(membership, write)
    tracked.organisation = membership.organisation
    return tracked


def get_mention(membership: Membership, mention_code, write: bool = False) -> Mention:
    """The organisation's mention with this public code (404 otherwise)."""
    mention = get_object_or_404(Mention, organisation=membership.organisation, code=mention_code)
    check_write(membership, write)
    mention.organisation = membership.organisation
    return mention


def get_follow(membership: Membership, source_code, write: bool = False) -> Follow:
    """The organisation's follow of the source with this public code (404 otherwise)."""
    follow = get_object_or_404(
        Follow.objects.select_related("source"),
        organisation=membership.organisation,
        source__code=source_code,
    )
    check_write(membership, write)
    follow.organisation = membership.organisation
    return follow
