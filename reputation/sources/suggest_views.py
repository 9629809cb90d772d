"""Sources found for a tracked name ("Here is what we found for you"), each followed
in one click through the one follow path (limits, shared sources, history scans)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitoring.types import SourceError
from reputation.access import get_membership, get_tracked
from reputation.names.models import TrackedName
from reputation.security.limits import LimitReached
from reputation.sources import suggestions
from reputation.sources.follow import follow_within_limits


@login_required
def suggested(request, code, tracked_code):
    membership = get_membership(request, code, write=True)
    tracked = get_tracked(membership, tracked_code)
    found = suggestions.suggest(membership.organisation, tracked)
    ctx = {"org": membership.organisation, "membership": membership, "tracked": tracked}
    ctx["found"] = found
    ctx["welcome"] = request.GET.get("welcome") == "1"
    return render(request, "sources/suggested.html", ctx)


@login_required
@require_POST
def follow_suggested(request, code, tracked_code):
    membership = get_membership(request, code, write=True)
    tracked = get_tracked(membership, tracked_code)
    org = membership.organisation
    back = redirect("suggested-sources", org.code, tracked.code)
    try:
        data = suggestions.unsign(org, request.POST.get("suggestion", ""))
        # The name a search was built for is this organisation's, or none.
        built_for = TrackedName.objects.filter(organisation=org, code=data["t"] or None).first()
        _source, new = follow_within_limits(
            org, data["u"], data["k"], data["c"], preset=data["p"], tracked=built_for
        )
    except (LimitReached, SourceError) as exc:
        messages.error(request, exc.message)
        return back
    except (KeyError, TypeError, ValueError):
        messages.error(request, _("This suggestion has expired: look again."))
        return back
    if new:
        messages.success(request, _("Followed: it will be polled within a minute."))
    else:
        messages.info(request, _("You already follow this source."))
    return back
