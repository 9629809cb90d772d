"""Access helpers for the workspace pages, in the style of reputation/access.py.

A view first gets the user's membership of the organisation in its URL (404 for
outsiders), then the object through one of these helpers, which looks it up scoped
to that organisation (404 when the organisation does not own or follow it) and only
then refuses writes to read-only roles (403). Checking existence before the role
means a viewer cannot tell objects of other organisations apart from missing ones.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from monitoring.models import Follow, Source
from reputation.models import Membership, Mention, TrackedName


def _check_write(membership: Membership, write: bool) -> None:
    if write and not membership.can_write:
        raise PermissionDenied


def get_follow(membership: Membership, source_code, write: bool = False) -> Follow:
    """The organisation's follow of the source with this public code."""
    follow = get_object_or_404(
        Follow.objects.select_related("source"),
        organisation=membership.organisation,
        source__code=source_code,
    )
    _check_write(membership, write)
    follow.organisation = membership.organisation
    return follow


def get_source(membership: Membership, source_code, write: bool = False) -> Source:
    """The source with this code, only if the organisation follows it."""
    return get_follow(membership, source_code, write=write).source


def get_tracked(membership: Membership, tracked_code, write: bool = False) -> TrackedName:
    tracked = get_object_or_404(
        TrackedName, organisation=membership.organisation, code=tracked_code
    )
    _check_write(membership, write)
    tracked.organisation = membership.organisation
    return tracked


def get_mention(membership: Membership, mention_code, write: bool = False) -> Mention:
    mention = get_object_or_404(Mention, organisation=membership.organisation, code=mention_code)
    _check_write(membership, write)
    mention.organisation = membership.organisation
    return mention
