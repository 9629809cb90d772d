"""Access helpers: one per object kind, used by every view.

Each returns the object only if the user's organisation owns it: outsiders get a
404 (they must not learn that the object exists), read-only roles a 403 when the
view writes. Queries are scoped to the organisation up front, never checked after.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from reputation.models import Membership, Mention, Organisation, TrackedName


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


def get_org(request, code, write: bool = False, manage: bool = False) -> Organisation:
    return get_membership(request, code, write=write, manage=manage).organisation


def get_tracked_name(request, code, write: bool = False) -> TrackedName:
    tracked = get_object_or_404(
        TrackedName.objects.select_related("organisation"),
        code=code,
        organisation__memberships__user=request.user,
    )
    get_membership(request, tracked.organisation.code, write=write)
    return tracked


def get_mention(request, code, write: bool = False) -> Mention:
    mention = get_object_or_404(
        Mention.objects.select_related("organisation", "item", "tracked_name"),
        code=code,
        organisation__memberships__user=request.user,
    )
    get_membership(request, mention.organisation.code, write=write)
    return mention
