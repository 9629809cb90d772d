"""Per-organisation limits and list pages: no list, page or poll grows without bound.

10,000 tracked names made the names page take 11.6 s and 11.9 MB and a poll 408 MB.
An organisation may track ORG_MAX_TRACKED_NAMES names and follow ORG_MAX_SOURCES
sources (settings from the environment, see README); lists are shown LIST_PAGE_SIZE
at a time.

Issue 17: limits are enforced atomically (12 concurrent adds once made 6 names under
a limit of 5): whoever adds takes `lock(org)` in the transaction that counts and
inserts, so concurrent adds to one organisation count one after the other. On
PostgreSQL it locks the organisation's row; SQLite's IMMEDIATE transactions already
serialise writers. What one organisation asks every worker to match is bounded
(ORG_MAX_PATTERNS, NAME_MAX_*), and what one person can create (ORG_MAX_PER_USER).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation
from reputation.sources.models import Follow

LIST_PAGE_SIZE = 50


class LimitReached(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def lock(org) -> None:
    """Serialise this organisation's limited writes; call inside transaction.atomic."""
    list(Organisation.objects.select_for_update().filter(pk=org.pk).values_list("pk"))


def check_can_track(org) -> None:
    limit = settings.ORG_MAX_TRACKED_NAMES
    if TrackedName.objects.filter(organisation=org).count() >= limit:
        raise LimitReached(
            _(
                "Your organisation tracks %(limit)d names, the most it can: delete or edit "
                "one to track another."
            )
            % {"limit": limit}
        )


def check_can_follow(org) -> None:
    limit = settings.ORG_MAX_SOURCES
    if Follow.objects.filter(organisation=org).count() >= limit:
        raise LimitReached(
            _(
                "Your organisation follows %(limit)d sources, the most it can: stop "
                "following one to add another."
            )
            % {"limit": limit}
        )


def clean_lines(lines, most: int) -> list[str]:
    """Stripped lines without blanks and duplicates (whatever their case), in linear
    time; LimitReached past `most` of them or a line past NAME_MAX_LENGTH characters."""
    longest = settings.NAME_MAX_LENGTH
    out, seen = [], set()
    for line in lines:
        line = line.strip()
        if len(line) > longest:
            raise LimitReached(
                _("Each line may have at most %(limit)d characters.") % {"limit": longest}
            )
        key = line.lower()
        if line and key not in seen:
            seen.add(key)
            out.append(line)
            if len(out) > most:
                raise LimitReached(too_many_lines(most))
    return out


def too_many_lines(limit: int) -> str:
    return _("At most %(limit)d lines here: keep the ones that matter most.") % {"limit": limit}


def patterns(label: str, aliases=(), context_terms=(), exclude_terms=()) -> int:
    """The strings a tracked name adds to the matcher."""
    return 1 + len(aliases) + len(context_terms) + len(exclude_terms)


def check_patterns(org, count: int, tracked_pk: int | None = None) -> None:
    """Refuse a name of `count` strings (patterns()) past ORG_MAX_PATTERNS for the
    organisation, its other names included (`tracked_pk`: the name being edited)."""
    limit = settings.ORG_MAX_PATTERNS
    others = TrackedName.objects.filter(organisation=org).exclude(pk=tracked_pk)
    used = sum(
        patterns("", *lists)
        for lists in others.values_list("aliases", "context_terms", "exclude_terms")
    )
    if used + count > limit:
        raise LimitReached(
            _(
                "Your names would have %(count)d spellings and terms in all, more than the "
                "%(limit)d your organisation may have: remove some from this name or another."
            )
            % {"count": used + count, "limit": limit}
        )


def check_can_create_organisation(user) -> None:
    """Call inside the transaction that creates it: the person's row is locked so that
    concurrent creations count one after the other."""
    User = get_user_model()
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    limit = settings.ORG_MAX_PER_USER
    if Organisation.objects.filter(created_by=user).count() >= limit:
        raise LimitReached(
            _("You have created %(limit)d organisations, the most one person can.")
            % {"limit": limit}
        )


def page_of(request, queryset, per_page: int = LIST_PAGE_SIZE):
    """The page of `queryset` asked for in ?page= (the last one if past the end)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
