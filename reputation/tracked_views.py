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
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitoring.forms import TrackedNameForm
from monitoring.match import Matcher, Query, snippet
from monitoring.models import Item, Sighting, Source
from reputation.access import get_membership, get_tracked
from reputation.limits import LimitReached, check_can_track, page_of
from reputation.models import TrackedName

# Items scanned by a query test: the newest ones, enough to judge a query quickly.
SCAN_LIMIT = 2000
# Matching items listed.
SHOWN_MATCHES = 50


@dataclass
class QueryHit:
    item: Item
    source: Source
    snippet: str
    highlights: list


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
    """Run `query` over the newest `limit` items of the organisation's followed sources."""
    # Imported here: monitoring.mentions pulls in the sentiment models, which the
    # URL configuration (and so every page) should not depend on.
    from monitoring.mentions import document, item_language

    followed = {s.pk: s for s in Source.objects.filter(follows__organisation=org)}
    allowed = set(followed)
    if query.source_ids:
        allowed &= set(query.source_ids)
    if not allowed:
        return QueryTestResult(0, 0, [])
    # An item is stored once, under the source that saw it first; the others that
    # carry it have a Sighting. Both ways count, scoped to the allowed sources.
    sighted = Sighting.objects.filter(source_id__in=allowed).values("item_id")
    items = list(
        Item.objects.filter(Q(source_id__in=allowed) | Q(pk__in=sighted))
        .only("id", "source_id", "url", "title", "text", "language", "published")
        .order_by("-published", "-pk")[:limit]
    )
    via = {i.pk: i.source_id for i in items if i.source_id in allowed}
    others = [i.pk for i in items if i.pk not in via]
    if others:
        for item_id, source_id in Sighting.objects.filter(
            item_id__in=others, source_id__in=allowed
        ).values_list("item_id", "source_id"):
            via.setdefault(item_id, source_id)
    matcher = Matcher([query])
    matched, shown = 0, []
    for item in items:
        source_id = via.get(item.pk)
        if source_id is None:
            continue
        doc = document(item)
        found = matcher.find(doc, partial(item_language, item, doc), source_id)
        if not found:
            continue
        matched += 1
        if len(shown) < SHOWN_MATCHES:
            text, highlights = snippet(doc, found[0].spans)
            shown.append(QueryHit(item, followed[source_id], text, highlights))
    return QueryTestResult(len(items), matched, shown)


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
    ctx = {"org": org, "membership": membership, "names": names, "page": names}
    return render(request, "monitoring/tracked/list.html", ctx)


def _edit(request, membership, tracked: TrackedName | None):
    org = membership.organisation
    form = TrackedNameForm(request.POST or None, organisation=org, instance=tracked)
    result = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "test":
            result = run_query_test(org, form_query(form))
        else:
            tracked = _save(form, org, tracked)
            messages.success(request, _("Saved: new items will be matched from now on."))
            return redirect("tracked-names", org.code)
    ctx = {"org": org, "membership": membership, "form": form, "tracked": tracked}
    ctx["result"] = result
    return render(request, "monitoring/tracked/form.html", ctx)


def _save(form: TrackedNameForm, org, tracked: TrackedName | None) -> TrackedName:
    with transaction.atomic():
        if tracked is None:
            tracked = TrackedName(organisation=org)
            form.apply(tracked)
            tracked.save()
        else:
            fields = form.apply(tracked)
            tracked.save(update_fields=[*fields, "modified"])
        tracked.sources.set(form.cleaned_data["sources"])
        # Bumped after the sources changed: workers rebuild their matcher on `modified`.
        tracked.save(update_fields=["modified"])
    return tracked


@login_required
def tracked_add(request, code):
    membership = get_membership(request, code, write=True)
    try:
        check_can_track(membership.organisation)
    except LimitReached as exc:
        messages.error(request, exc.message)
        return redirect("tracked-names", code)
    return _edit(request, membership, None)


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
    return render(request, "monitoring/tracked/delete.html", ctx)
