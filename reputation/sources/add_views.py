"""Adding a source of each kind: a feed, a website's feeds, a forum thread, a page
read with CSS selectors, a search or an alert feed.

Fetches made while a person waits share one bounded budget (monitoring.sources.
preview); their failures come back as sentences on the form. A newly followed
source's past items are searched for the organisation's names in the background.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from monitoring.models import SourceKind
from monitoring.sources import presets
from monitoring.sources.preview import (
    NotAFeed,
    check_feed,
    discover,
    preview_entries,
    preview_forum,
)
from monitoring.types import SourceError
from reputation.access import get_membership
from reputation.names.models import TrackedName
from reputation.security.limits import LimitReached, check_can_follow
from reputation.sources.follow import follow_within_limits, normalise_source_url
from reputation.sources.forms import (
    FeedForm,
    ForumForm,
    HtmlForm,
    PickFeedForm,
    SearchPresetForm,
    SearchUrlForm,
    WebsiteForm,
)


@login_required
def add_source(request, code):
    membership = get_membership(request, code, write=True)
    org = membership.organisation
    ctx = {"org": org, "membership": membership}
    # Each name leads to the sources found for it (reputation/sources/suggestions.py).
    ctx["names"] = TrackedName.objects.filter(organisation=org, active=True).order_by("label")[:20]
    return render(request, "sources/add_source.html", ctx)


def _follow(request, membership, form, url, kind, config=None, **settings):
    """Follow the source, or put the reason on the form; returns a response or None."""
    try:
        source, new = follow_within_limits(membership.organisation, url, kind, config, **settings)
    except (LimitReached, SourceError) as exc:
        form.add_error(None, exc.message)
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
    """Follow a feed once it was read as one: an address that answers an error, or
    a page that is no feed, is refused with a sentence (never saved as "Active"); a
    web page that announces feeds gets them offered, as on the website page."""
    membership = get_membership(request, code, write=True)
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = form.cleaned_data["url"]
        try:
            check_can_follow(membership.organisation)
            check_feed(normalise_source_url(url))
        except LimitReached as exc:
            form.add_error(None, exc.message)
        except NotAFeed as exc:
            if exc.feeds:
                site = WebsiteForm({"url": url})
                site.is_valid()
                site.add_error(None, exc.message)
                ctx = _add_ctx(membership, form=site, feeds=exc.feeds)
                return render(request, "sources/add_website.html", ctx)
            form.add_error("url", exc.message)
        except SourceError as exc:
            form.add_error("url", exc.message)
        else:
            done = _follow(request, membership, form, url, SourceKind.FEED)
            if done:
                return done
    return render(request, "sources/add_feed.html", _add_ctx(membership, form=form))


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
        return render(request, "sources/add_website.html", _add_ctx(membership, form=form))

    form = WebsiteForm(request.POST or None)
    feeds = None
    if request.method == "POST" and form.is_valid():
        try:
            feeds = discover(form.cleaned_data["url"])
        except SourceError as exc:
            form.add_error("url", exc.message)
        if feeds == []:
            form.add_error(
                None,
                _(
                    "No feed was found on this page. You can still watch it as a web "
                    "page with CSS selectors."
                ),
            )
    ctx = _add_ctx(membership, form=form, feeds=feeds)
    return render(request, "sources/add_website.html", ctx)


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
    ctx = _add_ctx(membership, form=form, entries=entries, warnings=warnings)
    return render(request, template, ctx)


@login_required
def add_forum(request, code):
    """A forum thread; selectors are optional, the preview is too."""
    template = "sources/add_forum.html"
    return _add_with_preview(
        request, code, ForumForm, SourceKind.FORUM, preview_forum, template, "save"
    )


@login_required
def add_html(request, code):
    """CSS selectors for a page: preview what they extract, then save."""
    template = "sources/add_html.html"
    return _add_with_preview(
        request, code, HtmlForm, SourceKind.HTML, preview_entries, template, "preview"
    )


@login_required
def add_search(request, code):
    """A search feed built from a preset and a tracked name, or a pasted alert feed."""
    membership = get_membership(request, code, write=True)
    org = membership.organisation
    choices = presets.choices()
    which = request.POST.get("form") if request.method == "POST" else None
    preset_form = SearchPresetForm(
        request.POST if which == "preset" else None,
        organisation=org,
        presets=[(p.key, p.label) for p in choices],
    )
    url_form = SearchUrlForm(request.POST if which == "url" else None)
    if which == "preset" and preset_form.is_valid():
        data = preset_form.cleaned_data
        tracked = data["tracked"]
        try:
            preset = presets.BY_KEY[data["preset"]]
            url = presets.url_for(
                preset.key,
                names=tracked.names if tracked else (),
                languages=tracked.languages if tracked else (),
                value=data["value"],
            )
        except SourceError as exc:
            preset_form.add_error(None, exc.message)
        else:
            done = _follow(
                request,
                membership,
                preset_form,
                url,
                preset.kind,
                preset=preset.key,
                tracked=tracked if presets.searches_names(preset) else None,
            )
            if done:
                return done
    if which == "url" and url_form.is_valid():
        url = url_form.cleaned_data["url"]
        done = _follow(request, membership, url_form, url, SourceKind.SEARCH)
        if done:
            return done
    ctx = _add_ctx(
        membership,
        preset_form=preset_form,
        url_form=url_form,
        presets=[(p, presets.searches_names(p)) for p in choices],
        has_names=TrackedName.objects.filter(organisation=org).exists(),
    )
    return render(request, "sources/add_search.html", ctx)
