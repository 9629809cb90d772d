"""The mention inbox: the whole history, filtered, paged by keyset, and triaged.

Thin views: membership first (outsiders get a 404), writes only on POST with the
write role (viewers get a 403), then a plain form and the functions of triage.py.
After an action the user comes back to the very page and mention they were on.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from monitoring.models import SourceKind
from reputation.access import get_membership, get_mention
from reputation.accounts.addresses import masked
from reputation.inbox import triage
from reputation.inbox.filters import SORTS, InboxFilterForm, filter_mentions, member_choices
from reputation.inbox.forms import BulkForm, TriageForm, bulk_actions
from reputation.inbox.models import Tag
from reputation.inbox.pages import detail_links, paginate
from reputation.inbox.rows import inbox_rows
from reputation.mentions.models import Mention, MentionStatus
from reputation.names.forms import LANGUAGE_CHOICES
from reputation.orgs.models import Membership
from reputation.replies import drafts, rules
from reputation.replies.models import ReplySettings
from reputation.security.redirects import safe_next
from reputation.sources.models import Follow
from reputation.sources.rename import follow_name

DAYS_14 = timedelta(days=14)
FILTER_KEYS = (
    *("q", "name", "sentiment", "status", "source", "language", "assignee", "tag"),
    *("author", "aspect", "counted"),
)
# The inbox says how many mentions match, up to this many: counting further made a
# page of a client with a million mentions take a second (bench dashboard); beyond
# it, it says "more than 10,000", where an exact count no longer tells a person more.
COUNT_MAX = 10_000


def _back(request, code, anchor: str = "") -> str:
    """Where to return after an action: the page the form was on, if it is ours."""
    url = safe_next(request, request.POST.get("next", ""), reverse("inbox", args=[code]))
    return url + (f"#{anchor}" if anchor else "")


@login_required
def inbox(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    members = member_choices(org)
    if not membership.can_write:  # a viewer reads who, not their addresses
        members = [(pk, masked(name)) for pk, name in members]
    form = InboxFilterForm(org, request.GET, user=request.user, members=members)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    mentions = (
        filter_mentions(org, data, request.user)
        .select_related("tracked_name", "source", "assigned_to")
        .defer("source__config")
        .annotate(source_name=follow_name(org))
    )
    page = paginate(mentions, request.GET.get("after", ""))
    for row in page.rows:
        row.organisation = org  # the same object: its code for the rows' links
    detail_links(page.rows, request.get_full_path())
    Tag.name_rows(page.rows)
    rules.mark(page.rows, ReplySettings.of(org), timezone.now())
    # The same filters as the figure a link came from: this count equals it.
    total = filter_mentions(org, data, request.user).order_by()[: COUNT_MAX + 1].count()
    params = request.GET.copy()
    params.pop("after", None)
    tags = list(Tag.objects.filter(organisation=org))
    sorts = []
    for value, label in SORTS:
        other = params.copy()
        other["sort"] = value
        sorts.append((value, label, "?" + other.urlencode()))
    ctx = {
        "sorts": sorts,
        "total": min(total, COUNT_MAX),
        "more": total > COUNT_MAX,
        "sort": data.get("sort") or "recent",
        "org": org,
        "membership": membership,
        "form": form,
        "page": page,
        "mention_rows": inbox_rows(page.rows, can_write=membership.can_write),
        "params": params.urlencode(),
        "first_page": request.GET.get("after", "") != "",
        "filtered": any(data.get(k) for k in (*FILTER_KEYS, "period", "since", "until")),
        "bulk_actions": bulk_actions(members, tags),
        "here": request.get_full_path(),
    }
    return render(request, "reputation/inbox/list.html", ctx)


def same_story(mention, limit: int = 10):
    """The organisation's other mentions of this item or of a story with the same
    title published within two weeks (the same news picked up by several sites).

    Forum posts are never grouped by title: every post of a thread carries the
    thread's title, so the title says nothing of what each post is about."""
    same = Q(item_id=mention.item_id)
    if mention.title and mention.source.kind != SourceKind.FORUM:
        window = (mention.published - DAYS_14, mention.published + DAYS_14)
        same |= Q(title=mention.title, published__range=window) & ~Q(source__kind=SourceKind.FORUM)
    return list(
        Mention.objects.filter(same, organisation=mention.organisation)
        .exclude(pk=mention.pk)
        .select_related("tracked_name", "source")
        .defer("source__config")
        .order_by("-published", "-id")[:limit]
    )


@login_required
def mention_detail(request, code, mention_code):
    membership = get_membership(request, code)
    mention = get_mention(membership, mention_code)
    org = membership.organisation
    names = dict(
        Follow.objects.filter(organisation=org).exclude(name="").values_list("source_id", "name")
    )
    same = same_story(mention)
    # Only through sources this organisation follows: others' follows are private.
    sightings = list(
        mention.item.sightings.filter(source__follows__organisation=org)
        .exclude(source_id=mention.source_id)
        .select_related("source")[:20]
    )
    for row in (*same, *sightings):
        row.source_label = names.get(row.source_id) or row.source or ""
    reply_settings = ReplySettings.of(org)
    rules.mark([mention], reply_settings, timezone.now())
    ctx = {
        "source_name": names.get(mention.source_id) or mention.source,
        "org": org,
        "membership": membership,
        "m": mention,
        "tags": list(mention.tags.all()),
        "all_tags": list(Tag.objects.filter(organisation=org)),
        "notes": list(mention.notes.select_related("author")),
        "events": list(mention.events.select_related("user")[:50]),
        "same": same,
        "sightings": sightings,
        "form": TriageForm(org, member_choices(org)),
        "statuses": MentionStatus.choices,
        "language": dict(LANGUAGE_CHOICES).get(mention.language, mention.language),
        "here": request.get_full_path(),
        "back": safe_next(request, request.GET.get("back", "")),
        # Drafted only for mentions that call for an answer (replies/rules.py).
        "draft": drafts.draft(mention, reply_settings) if mention.reply_state else None,
    }
    return render(request, "reputation/inbox/detail.html", ctx)


def _member(org, user_id: str):
    membership = Membership.objects.select_related("user").filter(
        organisation=org, user_id=int(user_id)
    )
    return membership.first().user


@login_required
@require_POST
def mention_triage(request, code, mention_code):
    membership = get_membership(request, code)
    mention = get_mention(membership, mention_code, write=True)
    org = membership.organisation
    form = TriageForm(org, member_choices(org), request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_back(request, code, f"m-{mention.code}"))
    data, user, changed = form.cleaned_data, request.user, False
    if data["status"]:
        changed |= triage.set_status(mention, user, data["status"], data["reply_url"])
    if data["assignee"]:
        who = None if data["assignee"] == "none" else _member(org, data["assignee"])
        changed |= triage.assign(mention, user, who)
    if data["add_tag"].strip():
        tag, _created = Tag.objects.get_or_create(organisation=org, name=data["add_tag"].strip())
        changed |= triage.add_tag(mention, user, tag)
    if data["remove_tag"]:
        changed |= triage.remove_tag(mention, user, data["remove_tag"])
    if data["note"].strip():
        triage.add_note(mention, user, data["note"].strip())
        changed = True
    if changed:
        messages.success(request, _("Saved."))
    return redirect(_back(request, code, f"m-{mention.code}"))


def apply_bulk(mentions, user, action: str, org) -> int:
    """Apply one "kind:value" action to the mentions; returns how many changed."""
    kind, _sep, value = action.partition(":")
    changed = 0
    if kind == "assign":
        who = None if value == "none" else _member(org, value)
    if kind == "tag":
        tag = Tag.objects.get(organisation=org, code=value)
    if kind == "sentiment":
        # One correction, rollups, journal and relearning included, for them all.
        return Mention.objects.filter(pk__in=[m.pk for m in mentions]).correct(user, value)
    for mention in mentions:
        if kind == "status":
            changed += triage.set_status(mention, user, value)
        elif kind == "assign":
            changed += triage.assign(mention, user, who)
        elif kind == "tag":
            changed += triage.add_tag(mention, user, tag)
    return changed


@login_required
@require_POST
def bulk(request, code):
    membership = get_membership(request, code, write=True)
    org = membership.organisation
    tags = list(Tag.objects.filter(organisation=org))
    form = BulkForm(org, member_choices(org), tags, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_back(request, code, "mentions"))
    mentions = list(form.cleaned_data["mentions"])
    n = apply_bulk(mentions, request.user, form.cleaned_data["action"], org)
    messages.success(
        request,
        ngettext("%(n)d mention changed.", "%(n)d mentions changed.", n) % {"n": n},
    )
    first = min(mentions, key=lambda m: (-m.published.timestamp(), -m.pk))
    return redirect(_back(request, code, f"m-{first.code}"))
