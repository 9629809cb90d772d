"""Review platforms: the page listing them, Google's authorisation round trip, the
key forms of the others, and the owner's reply to a review from the mention page.

The OAuth state is bound to the session (it is the CSRF defence of the callback)
and checked in constant time; the PKCE verifier never leaves the session. Tokens
and keys go straight to the encrypted store: no page, message or log shows them.
"""

import hmac
import logging
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from monitoring import connectors
from monitoring.connectors.base import PlatformError
from monitoring.connectors.google import pkce_pair
from monitoring.connectors.read import post_reply
from monitoring.models import SourceKind
from reputation.access import get_membership, get_mention
from reputation.mentions import history
from reputation.mentions.models import MentionStatus
from reputation.security.limits import LimitReached, check_can_follow
from reputation.sources.connect import connect

log = logging.getLogger(__name__)

SESSION_KEY = "google_oauth"


class KeyForm(forms.Form):
    account_id = forms.CharField(max_length=300, strip=True)
    # Never rendered back: a mistyped key is typed again rather than shown.
    api_key = forms.CharField(max_length=300, strip=True, widget=forms.PasswordInput)
    label = forms.CharField(
        max_length=300,
        strip=True,
        label=gettext_lazy("Your business's name on the platform"),
        help_text=gettext_lazy(
            "Reviews are filed under this name, so that your tracked name finds them."
        ),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(max_length=4000, strip=True, widget=forms.Textarea(attrs={"rows": 4}))


def _redirect_uri() -> str:
    return settings.SITE_ROOT + reverse("connect-google-callback")


@login_required
def add_platform(request, code):
    membership = get_membership(request, code, write=True)
    ctx = {
        "org": membership.organisation,
        "membership": membership,
        "platforms": connectors.available(),
        "without_api": sorted(connectors.WITHOUT_API.values()),
    }
    return render(request, "sources/add_platform.html", ctx)


@login_required
@require_POST
def connect_google(request, code):
    """Send the member to Google, with a state only this session knows."""
    membership = get_membership(request, code, write=True)
    google = connectors.get("google")
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(32)
    try:
        url = google.authorize_url(state, _redirect_uri(), challenge)
    except PlatformError as exc:
        messages.error(request, exc.message)
        return redirect("add-platform", code)
    request.session[SESSION_KEY] = {
        "state": state,
        "verifier": verifier,
        "org": str(membership.organisation.code),
    }
    return redirect(url)


@login_required
def google_callback(request):
    """Google sends the member back here with a code: exchange it, follow each location."""
    pending = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not pending or not hmac.compare_digest(state.encode(), pending["state"].encode()):
        # Not the answer to a request of this session (forged, replayed or stale).
        raise Http404
    membership = get_membership(request, pending["org"], write=True)
    org = membership.organisation
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("Google was not connected: access was not granted."))
        return redirect("add-platform", org.code)
    google = connectors.get("google")
    try:
        check_can_follow(org)
        tokens = google.exchange_code(request.GET["code"], _redirect_uri(), pending["verifier"])
        locations = google.locations(tokens)
    except (PlatformError, LimitReached) as exc:
        messages.error(request, exc.message)
        return redirect("add-platform", org.code)
    if not locations:
        messages.error(
            request, _("This Google account manages no business location we could read.")
        )
        return redirect("add-platform", org.code)
    for account_id, title in locations:
        source, new = connect(org, "google", account_id, title, **tokens)
        if new:
            history.start(org, source=source)
    messages.success(request, _("Google is connected: its reviews will be read within a minute."))
    return redirect("source-detail", org.code, source.code)


@login_required
def connect_key(request, code, platform):
    """Trustpilot, Tripadvisor: the key and the platform's id of the business."""
    membership = get_membership(request, code, write=True)
    org = membership.organisation
    connector = connectors.get(platform)
    if connector is None or connector.oauth:
        raise Http404
    form = KeyForm(request.POST or None, initial={"label": org.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_can_follow(org)
            connector.validate(data["account_id"], data["api_key"])
            source, new = connect(
                org, platform, data["account_id"], data["label"], api_key=data["api_key"]
            )
        except (PlatformError, LimitReached) as exc:
            form.add_error(None, exc.message)
        else:
            if new:
                history.start(org, source=source)
            messages.success(
                request,
                _("%(name)s is connected: its reviews will be read within a minute.")
                % {"name": connector.name},
            )
            return redirect("source-detail", org.code, source.code)
    ctx = {
        "org": org,
        "membership": membership,
        "form": form,
        "platform": connector,
        "needs": connectors.NEEDS[platform],
    }
    return render(request, "sources/connect_key.html", ctx)


@login_required
@require_POST
def reply_on_platform(request, code, mention_code):
    """Publish the owner's reply under the review, on the platform, and mark it answered."""
    membership = get_membership(request, code)
    mention = get_mention(membership, mention_code, write=True)
    source = mention.source
    if source is None or source.kind != SourceKind.CONNECTOR:
        raise Http404
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reply first (at most 4000 characters)."))
        return redirect("mention-detail", code, mention.code)
    try:
        post_reply(source, mention.url, form.cleaned_data["text"])
    except PlatformError as exc:
        messages.error(request, exc.message)
        return redirect("mention-detail", code, mention.code)
    mention.set_status(request.user, MentionStatus.ANSWERED, mention.url)
    messages.success(request, _("Your reply is published under the review."))
    return redirect("mention-detail", code, mention.code)
