"""The API keys page of an organisation: each member makes keys for themself,
with scopes within their role, and sees the whole key once, on the answer to the
POST that made it (never stored, never in a redirect). Administrators and owners
also see and revoke the other members' keys."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reputation.access import get_membership
from reputation.api.models import SCOPE_CHOICES, ApiKey, scopes_for


class KeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the key"),
        max_length=100,
        help_text=gettext_lazy("What uses it, to recognise it later."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one scope.")},
    )

    def __init__(self, role, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = scopes_for(role)
        self.fields["scopes"].choices = [(v, label) for v, label in SCOPE_CHOICES if v in allowed]


def _keys(membership):
    keys = ApiKey.objects.filter(organisation=membership.organisation).select_related("user")
    if not membership.can_manage:
        keys = keys.filter(user=membership.user)
    return keys


@login_required
def keys(request, code):
    membership = get_membership(request, code)
    form = KeyForm(membership.role, request.POST or None)
    token = ""
    if request.method == "POST" and form.is_valid():
        _key, token = ApiKey.issue(
            membership, form.cleaned_data["name"].strip(), form.cleaned_data["scopes"]
        )
        form = KeyForm(membership.role)
    ctx = {
        "org": membership.organisation,
        "membership": membership,
        "form": form,
        "token": token,
        "keys": _keys(membership),
    }
    return render(request, "api/keys.html", ctx)


@login_required
@require_POST
def revoke(request, code, key_code):
    membership = get_membership(request, code)
    key = get_object_or_404(_keys(membership), code=key_code)
    key.revoke()
    messages.success(request, _("The key is revoked: it no longer works."))
    return redirect("api-keys", code)
