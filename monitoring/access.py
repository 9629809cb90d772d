"""Access helpers for the workspace pages, in the style of reputation/access.py.

A view first gets the user's membership of the organisation in its URL (404 for
outsiders), then the object through one of these helpers, which looks it up scoped
to that organisation (404 when the organisation does not own or follow it) and only
then refuses writes to read-only roles (403). Checking existence before the role
means a viewer cannot tell objects of other organisations apart from missing ones.
"""

from django.shortcuts import get_object_or_404

from monitoring.models import Follow, Source
from reputation.access import check_write
from reputation.models import Membership


def get_follow(
    membership: Membership, source_code, write: bool = False, manage: bool = False
) -> Follow:
    """The organisation's follow of the source with this public code."""
    follow = get_object_or_404(
        Follow.objects.select_related("source"),
        organisation=membership.organisation,
        source__code=source_code,
    )
    check_write(membership, write, manage)
    follow.organisation = membership.organisation
    return follow


def get_source(membership: Membership, source_code, write: bool = False) -> Source:
    """The source with this code, only if the organisation follows it."""
    return get_follow(membership, source_code, write=write).source
