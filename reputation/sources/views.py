"""Source pages: the list with each source's health, one source with its poll log,
and the actions on it (resume, poll now, unfollow). Adding sources: add_views.py.

Thin function views in the healthchecks.io style: membership first (404 for
outsiders), the follow through reputation/access.py, writes only on POST with the
write role (403 for viewers). A source may be shared with other organisations:
each sees its own settings and only the polls made since it followed.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitoring.models import PollLog, SourceState
from monitoring.pipeline import health
from reputation.access import get_follow, get_membership
from reputation.security.limits import page_of
from reputation.sources import troubles
from reputation.sources.follow import unfollow_source
from reputation.sources.models import Follow, in_error

log = logging.getLogger(__name__)

# Poll log rows shown per source on the list page (the detail page shows them all).
LIST_POLLS = 5


def _follows(request, org):
    """The organisation's follows; only those in error with ?errors=1 (the link of
    the portfolio's "sources in error")."""
    follows = Follow.objects.filter(organisation=org)
    return follows.filter(in_error()) if request.GET.get("errors") == "1" else follows


def _sources_with_health(request, org, now):
    """One page of the organisation's follows with their sources' recent polls and
    item dates, by the name people see (the title, else the address), whatever the case.

    Sliced prefetches (one window query each) keep the page at a fixed number of
    queries however many sources are followed.
    """
    name = Lower(Coalesce(NullIf("source__title", Value("")), "source__url"))
    follows = page_of(
        request,
        _follows(request, org)
        .select_related("source")
        .order_by(name, "pk")
        .prefetch_related(
            Prefetch(
                "source__polls",
                queryset=PollLog.objects.order_by("-started")[:LIST_POLLS],
                to_attr="recent_polls",
            ),
            *health.prefetch_recent_published("source__"),
        ),
    )
    for follow in follows:
        source = follow.source
        # A shared source: what happened before this organisation followed is not its.
        source.recent_polls = [p for p in source.recent_polls if p.started >= follow.created]
        dates = health.prefetched_published(source)
        source.silent = health.is_silent(source, now, dates)
        source.newest = health.last_published(dates)
        source.trouble = troubles.explain(source)
    return follows


@login_required
def sources(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    now = timezone.now()
    page = _sources_with_health(request, org, now)
    ctx = {
        "org": org,
        "membership": membership,
        "errors_only": request.GET.get("errors") == "1",
        "follows": page,
        "page": page,
        "now": now,
        "paused": SourceState.PAUSED,
    }
    return render(request, "sources/sources.html", ctx)


@login_required
def source_detail(request, code, source_code):
    membership = get_membership(request, code)
    follow = get_follow(membership, source_code)
    source = follow.source
    now = timezone.now()
    published = health.recent_published(source)
    gap = health.usual_gap(published)
    source.newest = health.last_published(published)
    source.trouble = troubles.explain(source)
    ctx = {
        "org": membership.organisation,
        "membership": membership,
        "follow": follow,
        "source": source,
        "polls": list(
            source.polls.filter(started__gte=follow.created).order_by("-started")[: PollLog.KEEP]
        ),
        "silent": health.is_silent(source, now, published),
        # Shown with |timesince, which speaks the user's language.
        "gap_start": now - gap if gap else None,
        "paused": SourceState.PAUSED,
        "now": now,
    }
    return render(request, "sources/source_detail.html", ctx)


@login_required
@require_POST
def resume_source(request, code, source_code):
    membership = get_membership(request, code)
    source = get_follow(membership, source_code, write=True).source
    source.resume()
    messages.success(request, _("Polling resumed: the source will be polled within a minute."))
    return redirect("source-detail", code, source.code)


@login_required
@require_POST
def poll_source_now(request, code, source_code):
    membership = get_membership(request, code)
    source = get_follow(membership, source_code, write=True).source
    if source.poll_soon():
        if request.headers.get("X-Requested-With") != "fetch":  # check_now.js tells itself
            messages.success(request, _("The source will be polled within a minute."))
    else:
        messages.error(request, _("This source is paused: resume it first."))
    return redirect("source-detail", code, source.code)


@login_required
@require_POST
def unfollow(request, code, source_code):
    membership = get_membership(request, code)
    # Unfollowing loses what the organisation sees from the source: admins and owners.
    follow = get_follow(membership, source_code, write=True, manage=True)
    org, source = membership.organisation, follow.source
    unfollow_source(org, source)
    messages.success(request, _("You no longer follow %(source)s.") % {"source": source})
    return redirect("sources", code)
