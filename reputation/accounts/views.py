"""Sign-up, adding a client organisation, switching between them, organisation settings."""

import re
import smtplib
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reputation.access import get_membership
from reputation.accounts import services
from reputation.accounts.branding import BrandForm, managed_clients
from reputation.accounts.forms import OrganisationForm, SignupForm
from reputation.accounts.models import Brand, PendingSignup, hash_token
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.security.limits import LimitReached
from reputation.security.login_throttle import client_ip
from reputation.security.rates import RateLimited


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "fr"


def signup(request):
    if request.user.is_authenticated:
        return redirect("org-add")
    # "Monitor this" on a diagnostic comes with its name and code.
    initial = {k: request.GET[k][:200] for k in ("organisation", "diagnostic") if k in request.GET}
    form = SignupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_sign_up(form.cleaned_data, _language(), client_ip(request))
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        except (smtplib.SMTPException, OSError):
            form.add_error(None, _("The email could not be sent: try again in a few minutes."))
            return render(request, "accounts/signup.html", {"form": form}, status=503)
        return render(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def signup_confirm(request, token):
    """The link of the sign-up email: a page with a button (mail scanners open links;
    only a person's POST creates the account), then the account and organisation."""
    pending = PendingSignup.objects.filter(token_hash=hash_token(token)).first()
    if pending is None or pending.expired:
        return render(request, "accounts/signup_confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        created = services.confirm_sign_up(pending)
        if created is None:
            return render(request, "accounts/signup_confirm.html", {"invalid": True}, status=404)
        user, org = created
        login(request, user, backend="reputation.backends.EmailBackend")
        messages.success(request, _("Welcome! Start by adding the names to watch."))
        # The name a diagnostic brought: its sources found, to follow in one click;
        # else the business's name, town and website, then the same suggestions.
        tracked = TrackedName.objects.filter(organisation=org).first()
        if tracked is not None:
            return redirect("suggested-sources", org.code, tracked.code)
        return redirect("tracked-add", code=org.code)
    return render(request, "accounts/signup_confirm.html", {"pending": pending})


@login_required
def org_add(request):
    form = OrganisationForm(request.POST or None, initial={"language": _language()})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_client(form.cleaned_data["name"], request.user, _language())
        except LimitReached as exc:
            form.add_error(None, exc.message)
            return render(request, "accounts/org_add.html", {"form": form})
        org.time_zone = form.cleaned_data["time_zone"]
        org.language = form.cleaned_data["language"]
        org.save(update_fields=["time_zone", "language"])
        messages.success(request, _("Organisation created. Add the names to watch."))
        return redirect("tracked-names", code=org.code)
    return render(request, "accounts/org_add.html", {"form": form})


# The section of an organisation's page: /org/<code>/<section>/...
ORG_PATH = re.compile(r"^/org/[0-9a-f-]{36}/(?P<section>[a-z-]+/)?")
# Filters that name one organisation's things (its names, sources, tags, members)
# or a place in its list: meaningless for another client, so left behind.
ORG_OWN_PARAMS = ("after", "name", "source", "tag", "back", "next")


@login_required
def switch(request):
    """Go to the same section (mentions, sources...) of another organisation."""
    membership = (
        Membership.objects.filter(user=request.user, organisation__code=request.GET.get("to"))
        .select_related("organisation")
        .first()
        if _is_uuid(request.GET.get("to", ""))
        else None
    )
    if membership is None:
        raise Http404
    came_from = urlsplit(request.GET.get("from", ""))
    found = ORG_PATH.match(came_from.path)
    section = (found and found.group("section")) or ""
    target = f"/org/{membership.organisation.code}/{section}"
    if found and found.end() == len(came_from.path):
        # The same list with the same filters (tone, status, period...).
        params = QueryDict(came_from.query, mutable=True)
        for key in ORG_OWN_PARAMS:
            params.pop(key, None)
        if params.get("assignee") not in (None, "", "me", "none"):
            params.pop("assignee")
        if params:
            target += "?" + params.urlencode()
    return redirect(target)


def _is_uuid(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{36}", value))


@login_required
def org_settings(request, code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("org-settings", code=org.code)
    ctx = {"org": org, "membership": membership, "form": form}
    return render(request, "accounts/org_settings.html", ctx)


@login_required
def brand_settings(request):
    """The consultant's name and logo, and the clients whose reports carry them."""
    brand, _created = Brand.objects.get_or_create(user=request.user)
    clients = managed_clients(request.user)
    initial = {
        "display_name": brand.display_name,
        "clients": [str(o.code) for o in brand.clients.all()],
    }
    form = BrandForm(request.POST or None, request.FILES or None, clients=clients, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save(brand)
        messages.success(request, _("Your brand is saved."))
        return redirect("brand-settings")
    ctx = {"form": form, "brand": brand, "has_logo": bool(brand.logo), "clients": clients}
    return render(request, "accounts/brand.html", ctx)


@login_required
def brand_logo(request):
    """The user's own logo (reports embed it themselves, as a data: URI)."""
    logo = Brand.objects.filter(user=request.user).values_list("logo", flat=True).first()
    if not logo:
        raise Http404
    response = HttpResponse(bytes(logo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
