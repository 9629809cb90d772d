"""Workspace pages for sources: list with health, detail with poll log, adding each kind.

Thin function views in the healthchecks.io style: membership first (404 for
outsiders), the object through monitoring/access.py, writes only on POST with the
write role (403 for viewers). Fetch problems are shown with their user-facing
message; the collection helpers written elsewhere (discover, extract.html, presets)
are imported lazily so that a missing or broken one degrades to a form error.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitoring import health, poll
from monitoring.access import get_follow
from monitoring.forms import (
    FeedForm,
    ForumForm,
    HtmlForm,
    PickFeedForm,
    SearchPresetForm,
    SearchUrlForm,
    WebsiteForm,
)
from monitoring.models import Follow, PollLog, SourceKind, SourceState
from monitoring.sources import InvalidSource, follow_source, resume, unfollow_source
from monitoring.types import SourceError
from monitoring.view_helpers import (
    ToolMissing,
    alert_url,
    discover,
    preset_url,
    presets,
    preview_entries,
    preview_forum,
)
from reputation.access import get_membership
from reputation.models import TrackedName

log = logging.getLogger(__name__)

# Poll log rows shown per source on the list page (the detail page shows them all).
LIST_POLLS = 5


def _sources_with_health(org, now):
    """The organisation's follows with their sources' recent polls and item dates.

    Sliced prefetches (one window query each) keep the page at a fixed number of
    queries however many sources are followed.
    """
    follows = list(
        Follow.objects.filter(organisation=org)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "source__polls",
                queryset=PollLog.objects.order_by("-started")[:LIST_POLLS],
                to_attr="recent_polls",
            ),
            *health.prefetch_recent_published("source__"),
        )
    )
    for follow in follows:
        source = follow.source
        dates = health.prefetched_published(source)
        source.silent = health.is_silent(source, now, dates)
        source.newest = health.last_activity(source, dates)
    # By the name people see (the title, else the address), whatever the case.
    follows.sort(key=lambda f: str(f.source).lower())
    return follows


@login_required
def sources(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    now = timezone.now()
    ctx = {
        "org": org,
        "membership": membership,
        "follows": _sources_with_health(org, now),
        "now": now,
        "paused": SourceState.PAUSED,
    }
    return render(request, "monitoring/sources.html", ctx)


@login_required
def source_detail(request, code, source_code):
    membership = get_membership(request, code)
    follow = get_follow(membership, source_code)
    source = follow.source
    now = timezone.now()
    published = health.recent_published(source)
    gap = health.usual_gap(published)
    source.newest = health.last_activity(source, published)
    ctx = {
        "org": membership.organisation,
        "membership": membership,
        "follow": follow,
        "source": source,
        "polls": list(source.polls.order_by("-started")[: poll.POLL_LOG_KEEP]),
        "silent": health.is_silent(source, now, published),
        # Shown with |timesince, which speaks the user's language.
        "gap_start": now - gap if gap else None,
        "paused": SourceState.PAUSED,
        "now": now,
    }
    return render(request, "monitoring/source_detail.html", ctx)


@login_required
@require_POST
def resume_source(request, code, source_code):
    membership = get_membership(request, code)
    source = get_follow(membership, source_code, write=True).source
    resume(source)
    messages.success(request, _("Polling resumed: the source will be polled within a minute."))
    return redirect("source-detail", code, source.code)


@login_required
@require_POST
def poll_source_now(request, code, source_code):
    membership = get_membership(request, code)
    source = get_follow(membership, source_code, write=True).source
    if source.state != SourceState.ACTIVE:
        messages.error(request, _("This source is paused: resume it first."))
    else:
        source.next_fetch_at = timezone.now()
        source.save(update_fields=["next_fetch_at"])
        if request.headers.get("X-Requested-With") != "fetch":  # check_now.js tells itself
            messages.success(request, _("The source will be polled within a minute."))
    return redirect("source-detail", code, source.code)


@login_required
@require_POST
def unfollow(request, code, source_code):
    membership = get_membership(request, code)
    follow = get_follow(membership, source_code, write=True)
    org, source = membership.organisation, follow.source
    # Names restricted to this source would otherwise keep pointing at it.
    TrackedName.sources.through.objects.filter(
        trackedname__organisation=org, source=source
    ).delete()
    unfollow_source(org, source)
    messages.success(request, _("You no longer follow %(source)s.") % {"source": source})
    return redirect("sources", code)


# --- adding sources -------------------------------------------------------------------


@login_required
def add_source(request, code):
    membership = get_membership(request, code, write=True)
    ctx = {"org": membership.organisation, "membership": membership}
    return render(request, "monitoring/add_source.html", ctx)


def _follow(request, membership, form, url, kind, config=None):
    """Follow the source, or put the reason on the form; returns a response or None."""
    try:
        source, new = follow_source(membership.organisation, url, kind, config)
    except InvalidSource as exc:
        form.add_error(None, _(str(exc)))
        return None
    if new:
        messages.success(request, _("Source added: it will be polled within a minute."))
    else:
        messages.info(request, _("You already follow this source."))
    return redirect("source-detail", membership.organisation.code, source.code)


def _add_ctx(membership, **kwargs):
    return {"org": membership.organisation, "membership": membership, **kwargs}


@login_required
def add_feed(request, code):
    membership = get_membership(request, code, write=True)
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _follow(request, membership, form, form.cleaned_data["url"], SourceKind.FEED)
        if done:
            return done
    return render(request, "monitoring/add_feed.html", _add_ctx(membership, form=form))


@login_required
def add_website(request, code):
    """Fetch a site's page, list the feeds it announces, follow the one picked."""
    membership = get_membership(request, code, write=True)
    if request.method == "POST" and "feed_url" in request.POST:
        pick = PickFeedForm(request.POST)
        form = WebsiteForm(request.POST)
        if pick.is_valid():
            url = pick.cleaned_data["feed_url"]
            done = _follow(request, membership, pick, url, SourceKind.FEED)
            if done:
                return done
            for error in pick.non_field_errors():
                form.add_error(None, error)
        else:
            form.add_error(None, _("Pick one of the feeds found."))
        return render(request, "monitoring/add_website.html", _add_ctx(membership, form=form))

    form = WebsiteForm(request.POST or None)
    feeds = None
    if request.method == "POST" and form.is_valid():
        try:
            feeds = discover(form.cleaned_data["url"])
        except SourceError as exc:
            form.add_error("url", exc.message)
        except ToolMissing:
            form.add_error(
                None,
                _(
                    "Feed discovery is not available at the moment: if you know the "
                    "feed's address, add it as an RSS or Atom feed."
                ),
            )
        if feeds == []:
            form.add_error(
                None,
                _(
                    "No feed was found on this page. You can still watch it as a web "
                    "page with CSS selectors."
                ),
            )
    ctx = _add_ctx(membership, form=form, feeds=feeds)
    return render(request, "monitoring/add_website.html", ctx)


def _add_with_preview(request, code, form_class, kind, preview, template, default):
    """Add a page-like source: "preview" shows what the poll would read, "save" follows."""
    membership = get_membership(request, code, write=True)
    form = form_class(request.POST or None)
    entries = warnings = None
    if request.method == "POST" and form.is_valid():
        url, config = form.cleaned_data["url"], form.config()
        if request.POST.get("action", default) == "save":
            done = _follow(request, membership, form, url, kind, config)
            if done:
                return done
        else:
            try:
                entries, warnings = preview(url, config)
            except SourceError as exc:
                form.add_error("url", exc.message)
            except ToolMissing:
                form.add_error(None, _("The preview is not available at the moment."))
    ctx = _add_ctx(membership, form=form, entries=entries, warnings=warnings)
    return render(request, template, ctx)


@login_required
def add_forum(request, code):
    """A forum thread; selectors are optional, the preview is too."""
    template = "monitoring/add_forum.html"
    return _add_with_preview(
        request, code, ForumForm, SourceKind.FORUM, preview_forum, template, "save"
    )


@login_required
def add_html(request, code):
    """CSS selectors for a page: preview what they extract, then save."""
    template = "monitoring/add_html.html"
    return _add_with_preview(
        request, code, HtmlForm, SourceKind.HTML, preview_entries, template, "preview"
    )


@login_required
def add_search(request, code):
    """A search feed built from a preset and a tracked name, or a pasted alert feed."""
    membership = get_membership(request, code, write=True)
    org = membership.organisation
    try:
        choices = presets()
    except ToolMissing:
        choices = []
    which = request.POST.get("form") if request.method == "POST" else None
    preset_form = SearchPresetForm(
        request.POST if which == "preset" else None,
        organisation=org,
        presets=[(p.key, p.label) for p in choices],
    )
    url_form = SearchUrlForm(request.POST if which == "url" else None)
    if which == "preset" and preset_form.is_valid():
        data = preset_form.cleaned_data
        try:
            url, kind = preset_url(data["preset"], data["tracked"], data["value"])
        except ToolMissing:
            preset_form.add_error(None, _("Search presets are not available at the moment."))
        except SourceError as exc:
            preset_form.add_error(None, exc.message)
        else:
            config = {"preset": data["preset"]}
            if data["tracked"] is not None:
                config["tracked"] = str(data["tracked"].code)
            done = _follow(request, membership, preset_form, url, kind, config)
            if done:
                return done
    if which == "url" and url_form.is_valid():
        url = alert_url(url_form.cleaned_data["url"])
        done = _follow(request, membership, url_form, url, SourceKind.SEARCH)
        if done:
            return done
    ctx = _add_ctx(
        membership,
        preset_form=preset_form,
        url_form=url_form,
        presets=choices,
        has_names=TrackedName.objects.filter(organisation=org).exists(),
    )
    return render(request, "monitoring/add_search.html", ctx)
