"""Tracked names: list, add, edit, (de)activate, delete, and "test this query".

The query test runs the unsaved query over the items already collected from the
sources this organisation follows (and only those: an item seen only in another
organisation's sources must never show up here), newest first, within a bound.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitoring.matching.matcher import Matcher, Query, snippet
from monitoring.models import Sighting, Source
from reputation.access import get_membership, get_tracked
from reputation.mentions import history
from reputation.mentions.finder import Languages
from reputation.mentions.models import HistoryScan
from reputation.names import noise
from reputation.names.forms import TrackedNameForm
from reputation.names.models import TrackedName
from reputation.security.limits import (
    LimitReached,
    check_can_track,
    check_patterns,
    lock,
    page_of,
    patterns,
)

# Items scanned by a query test: the newest ones, enough to judge a query quickly.
SCAN_LIMIT = 2000
# Matching items listed.
SHOWN_MATCHES = 50


@dataclass
class QueryHit:
    # What the organisation's source said: its address and date, not the item's.
    sighting: Sighting
    source: Source
    snippet: str
    highlights: list
    title: str = ""


@dataclass
class QueryTestResult:
    scanned: int
    matched: int
    matches: list[QueryHit]
    limit: int = SCAN_LIMIT


def form_query(form: TrackedNameForm) -> Query:
    data = form.cleaned_data
    return Query(
        id=form.instance.pk if form.instance else 0,
        names=[data["label"], *data["aliases"]],
        context_terms=list(data["context_terms"]),
        exclude_terms=list(data["exclude_terms"]),
        languages=list(data["languages"]),
        source_ids=[s.pk for s in data["sources"]],
    )


def run_query_test(org, query: Query, limit: int = SCAN_LIMIT) -> QueryTestResult:
    """Run `query` over the newest `limit` items of the organisation's followed sources,
    as each of those sources showed them (never another organisation's copy)."""
    followed = {s.pk: s for s in Source.objects.filter(follows__organisation=org)}
    allowed = set(followed)
    if query.source_ids:
        allowed &= set(query.source_ids)
    if not allowed:
        return QueryTestResult(0, 0, [])
    sightings = list(
        Sighting.objects.filter(source_id__in=allowed)
        .select_related("item")
        .order_by("-published", "-item_id")[:limit]
    )
    matcher, langs = Matcher([query]), Languages()
    matched, shown, seen = 0, [], set()
    for sighting in sightings:
        if sighting.item_id in seen:
            continue
        doc = sighting.document()
        found = matcher.find(doc, partial(langs.of, sighting, doc), sighting.source_id)
        if not found:
            continue
        seen.add(sighting.item_id)
        matched += 1
        if len(shown) < SHOWN_MATCHES:
            text, highlights = snippet(doc, found[0].spans)
            source = followed[sighting.source_id]
            shown.append(QueryHit(sighting, source, text, highlights, sighting.shown_title))
    return QueryTestResult(len(sightings), matched, shown)


@login_required
def tracked_list(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    names = page_of(
        request,
        TrackedName.objects.filter(organisation=org)
        .annotate(mention_count=Count("mentions"))
        .prefetch_related("sources")
        .order_by("label", "pk"),
    )
    scans = HistoryScan.objects.filter(
        organisation=org, state__in=[HistoryScan.PENDING, HistoryScan.RUNNING]
    ).select_related("tracked_name", "source")
    ctx = {"org": org, "membership": membership, "names": names, "page": names}
    ctx["scans"] = list(scans)
    return render(request, "names/list.html", ctx)


def _edit(request, membership, tracked: TrackedName | None, initial=None):
    org = membership.organisation
    kwargs = {"initial": initial} if initial else {}
    form = TrackedNameForm(request.POST or None, organisation=org, instance=tracked, **kwargs)
    result = None
    if request.method == "POST" and form.is_valid():
        noisy = noise.warning(form_query(form))
        if request.POST.get("action") == "test":
            result = run_query_test(org, form_query(form))
            if noisy:
                messages.warning(request, noisy)
        else:
            added = tracked is None
            try:
                tracked = _save(form, org, tracked)
            except LimitReached as exc:
                form.add_error(None, exc.message)
                ctx = {"org": org, "membership": membership, "form": form, "tracked": tracked}
                return render(request, "names/form.html", ctx)
            messages.success(
                request,
                _("Saved: the items already collected are being searched for this name."),
            )
            if noisy:
                messages.warning(request, noisy)
            if added:
                # A new name: the sources that speak of it, to follow in one click.
                return redirect("suggested-sources", org.code, tracked.code)
            return redirect("tracked-names", org.code)
    ctx = {"org": org, "membership": membership, "form": form, "tracked": tracked}
    ctx["result"] = result
    return render(request, "names/form.html", ctx)


def _save(form: TrackedNameForm, org, tracked: TrackedName | None) -> TrackedName:
    """Save within the organisation's limits (LimitReached otherwise), counted and
    written under its lock; a saved active name has its history searched."""
    data = form.cleaned_data
    size = patterns(data["label"], data["aliases"], data["context_terms"], data["exclude_terms"])
    with transaction.atomic():
        lock(org)
        if tracked is None:
            check_can_track(org)
        check_patterns(org, size, tracked.pk if tracked else None)
        if tracked is None:
            tracked = TrackedName(organisation=org)
            form.apply(tracked)
            tracked.save()
        else:
            fields = form.apply(tracked)
            tracked.save(update_fields=[*fields, "modified"])
        tracked.sources.set(form.cleaned_data["sources"])
        if tracked.active:
            history.start(org, tracked=tracked)
    return tracked


@login_required
def tracked_add(request, code):
    membership = get_membership(request, code, write=True)
    try:
        check_can_track(membership.organisation)
    except LimitReached as exc:
        messages.error(request, exc.message)
        return redirect("tracked-names", code)
    # Right after sign-up: the business's own name, most probably the one to track.
    first = not TrackedName.objects.filter(organisation=membership.organisation).exists()
    initial = {"label": membership.organisation.name} if first else None
    return _edit(request, membership, None, initial)


@login_required
def tracked_edit(request, code, tracked_code):
    membership = get_membership(request, code)
    tracked = get_tracked(membership, tracked_code, write=True)
    return _edit(request, membership, tracked)


@login_required
@require_POST
def tracked_toggle(request, code, tracked_code):
    membership = get_membership(request, code)
    tracked = get_tracked(membership, tracked_code, write=True)
    tracked.active = not tracked.active
    tracked.save(update_fields=["active", "modified"])
    if tracked.active:
        messages.success(request, _("%(name)s is tracked again.") % {"name": tracked.label})
    else:
        messages.success(request, _("%(name)s is no longer tracked.") % {"name": tracked.label})
    return redirect("tracked-names", code)


@login_required
def tracked_delete(request, code, tracked_code):
    membership = get_membership(request, code)
    # Deleting a name deletes its mentions, the organisation's history: admins and owners.
    tracked = get_tracked(membership, tracked_code, write=True, manage=True)
    if request.method == "POST":
        label = tracked.label
        tracked.delete()
        messages.success(request, _("%(name)s was deleted.") % {"name": label})
        return redirect("tracked-names", code)
    ctx = {
        "org": membership.organisation,
        "membership": membership,
        "tracked": tracked,
        "mention_count": tracked.mentions.count(),
    }
    return render(request, "names/delete.html", ctx)
