"""The consultant's inbox across every client they belong to ("all my clients").

The same filters (reputation.inbox.filters over several organisations), the same
keyset pages and the same triage functions as one organisation's inbox; the client
is a column and a filter. Only the user's own organisations are ever read: every
query is scoped to their memberships. Bulk triage asks each mention's organisation
for the role: mentions of a client where the user only reads are refused with a
sentence, the others changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reputation.accounts.addresses import masked
from reputation.inbox.filters import SORTS, InboxFilterForm, filter_mentions, member_choices
from reputation.inbox.forms import BulkForm, bulk_actions
from reputation.inbox.models import Tag
from reputation.inbox.pages import detail_links, paginate_across
from reputation.inbox.rows import inbox_rows
from reputation.inbox.views import FILTER_KEYS, apply_bulk
from reputation.mentions.models import Mention
from reputation.orgs.models import Membership
from reputation.security.redirects import safe_next
from reputation.sources.rename import follow_name


def memberships_of(request) -> list[Membership]:
    """The user's memberships, by client name (the switcher reuses them)."""
    found = list(
        Membership.objects.select_related("organisation")
        .filter(user=request.user)
        .order_by("organisation__name", "organisation_id")
    )
    request.memberships = found
    return found


def chosen(memberships: list[Membership], client: str) -> list[Membership]:
    """All of them, or the one client chosen in the filter (unknown codes: all)."""
    one = [m for m in memberships if str(m.organisation.code) == client]
    return one or memberships


def assignees(memberships: list[Membership]) -> list[tuple[str, str]]:
    """The assignee filter's people: addresses masked for those seen only from
    clients where the user is a viewer."""
    writes = [m.organisation for m in memberships if m.can_write]
    reads = [m.organisation for m in memberships if not m.can_write]
    people = dict(member_choices(writes)) if writes else {}
    for pk, name in member_choices(reads) if reads else ():
        people.setdefault(pk, masked(name))
    return list(people.items())


# Actions that mean the same for every client: a status, nobody assigned, the tone.
# (Assigning a person or a tag belongs to one client's inbox.)
SHARED_ACTIONS = bulk_actions([], [])
FILTERS = (*FILTER_KEYS, "period", "since", "until")


@login_required
def inbox_all(request):
    memberships = memberships_of(request)
    client = request.GET.get("client", "")
    shown = chosen(memberships, client)
    orgs = [m.organisation for m in shown]
    form = InboxFilterForm(orgs, request.GET, user=request.user, members=assignees(shown))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    # The page's rows by id, once each client's filtered keys chose them (dates are
    # each client's own days: the filters are applied per client, not here).
    shown_rows = (
        Mention.objects.filter(organisation__in=orgs)
        .select_related("tracked_name", "source", "assigned_to", "organisation")
        .defer("source__config")
        .annotate(source_name=follow_name(None))
    )
    page = paginate_across(
        lambda org: filter_mentions(org, data, request.user),
        orgs,
        request.GET.get("after", ""),
        rows=shown_rows,
    )
    detail_links(page.rows, request.get_full_path())
    Tag.name_rows(page.rows)
    params = request.GET.copy()
    params.pop("after", None)
    sorts = []
    for value, label in SORTS:
        other = params.copy()
        other["sort"] = value
        sorts.append((value, label, "?" + other.urlencode()))
    writable = {m.organisation_id for m in memberships if m.can_write}
    ctx = {
        "memberships": memberships,
        "client": client if len(shown) == 1 and len(memberships) > 1 else "",
        "sorts": sorts,
        "sort": data.get("sort") or "recent",
        "form": form,
        # Names, sources and tags are each client's: listed once a client is chosen
        # (a hundred names of twenty clients help nobody, and cost every page).
        "client_fields": [form["name"], form["source"], form["tag"]],
        "one_client": len(shown) == 1,
        "page": page,
        "mention_rows": inbox_rows(page.rows, writable=writable, clients=True),
        "params": params.urlencode(),
        "first_page": request.GET.get("after", "") != "",
        "filtered": bool(client) or any(data.get(k) for k in FILTERS),
        "writable": writable,
        "can_write_any": bool(writable),
        "bulk_actions": SHARED_ACTIONS,
        "here": request.get_full_path(),
    }
    return render(request, "reputation/inbox/all.html", ctx)


@login_required
@require_POST
def bulk_all(request):
    memberships = memberships_of(request)
    back = safe_next(request, request.POST.get("next", ""), reverse("inbox-all"))
    form = BulkForm([m.organisation for m in memberships], [], [], request.POST)
    form.fields["action"].choices = [("", "—"), *SHARED_ACTIONS]
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    roles = {m.organisation_id: m for m in memberships}
    groups: dict[int, list] = {}
    for mention in form.cleaned_data["mentions"]:
        groups.setdefault(mention.organisation_id, []).append(mention)
    changed = 0
    for org_id, mentions in groups.items():
        membership = roles[org_id]
        if not membership.can_write:
            messages.error(
                request,
                ngettext(
                    "%(client)s: you may only read its mentions, %(n)d mention was not changed.",
                    "%(client)s: you may only read its mentions, %(n)d mentions were not changed.",
                    len(mentions),
                )
                % {"client": membership.organisation.name, "n": len(mentions)},
            )
            continue
        changed += apply_bulk(
            mentions, request.user, form.cleaned_data["action"], membership.organisation
        )
    if any(roles[org_id].can_write for org_id in groups):
        messages.success(
            request,
            ngettext("%(n)d mention changed.", "%(n)d mentions changed.", changed) % {"n": changed},
        )
    return redirect(back + "#mentions")
