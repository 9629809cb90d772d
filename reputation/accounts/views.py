"""Sign-up, adding a client organisation, switching between them, organisation settings."""

import re

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reputation.access import get_membership
from reputation.accounts import services
from reputation.accounts.forms import OrganisationForm, SignupForm
from reputation.orgs.models import Membership


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "fr"


def signup(request):
    if request.user.is_authenticated:
        return redirect("org-add")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, org = services.sign_up(
            data["organisation"], data["email"], data["password"], data["name"], _language()
        )
        login(request, user, backend="reputation.backends.EmailBackend")
        messages.success(request, _("Welcome! Start by adding the names to watch."))
        return redirect("tracked-names", code=org.code)
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def org_add(request):
    form = OrganisationForm(request.POST or None, initial={"language": _language()})
    if request.method == "POST" and form.is_valid():
        org = services.create_client(form.cleaned_data["name"], request.user, _language())
        org.time_zone = form.cleaned_data["time_zone"]
        org.language = form.cleaned_data["language"]
        org.save(update_fields=["time_zone", "language"])
        messages.success(request, _("Organisation created. Add the names to watch."))
        return redirect("tracked-names", code=org.code)
    return render(request, "accounts/org_add.html", {"form": form})


# The section of an organisation's page: /org/<code>/<section>/...
ORG_PATH = re.compile(r"^/org/[0-9a-f-]{36}/(?P<section>[a-z-]+/)?")


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
    found = ORG_PATH.match(request.GET.get("from", ""))
    section = (found and found.group("section")) or ""
    return redirect(f"/org/{membership.organisation.code}/{section}")


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
