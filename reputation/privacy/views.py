"""The organisation's privacy pages (owners and admins; export and deletion: owners)
and the public page where anyone learns what is collected and makes a request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reputation.access import get_membership
from reputation.orgs.models import Organisation
from reputation.privacy import dataexport, erasure, register
from reputation.privacy.forms import DeleteForm, EraseForm, RequestForm, RetentionForm
from reputation.privacy.models import (
    AuditAction,
    AuditEvent,
    ErasedAuthor,
    PrivacyRequest,
    PrivacySettings,
    RequestStatus,
)
from reputation.privacy.orgdeletion import delete_organisation
from reputation.security import rates
from reputation.security.login_throttle import client_ip

AUDIT_SHOWN = 100


@login_required
def privacy(request, code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    ctx = {
        "org": org,
        "membership": membership,
        "retention_form": RetentionForm(
            initial={"retention_months": PrivacySettings.months_of(org)}
        ),
        "erase_form": EraseForm(),
        "erased": ErasedAuthor.objects.filter(organisation=org),
        "requests": PrivacyRequest.objects.filter(organisation=org).order_by("status", "due"),
        "events": AuditEvent.objects.filter(organisation=org)[:AUDIT_SHOWN],
        "statuses": RequestStatus.choices,
    }
    return render(request, "privacy/org.html", ctx)


@login_required
@require_POST
def retention(request, code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    form = RetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("privacy", code=org.code)
    old = PrivacySettings.months_of(org)
    months = form.cleaned_data["retention_months"]
    PrivacySettings.objects.update_or_create(
        organisation=org, defaults={"retention_months": months, "updated": timezone.now()}
    )
    AuditEvent.record(org, request.user, AuditAction.RETENTION, old=old, new=months)
    messages.success(request, _("Mentions are now kept for %(n)s months.") % {"n": months})
    return redirect("privacy", code=org.code)


@login_required
@require_POST
def erase(request, code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("privacy", code=org.code)
    _rule, count = erasure.erase(
        org, request.user, form.cleaned_data["name"], form.cleaned_data["profile_url"]
    )
    messages.success(
        request,
        _("Erased: %(n)s mentions deleted; this person will not be collected again.")
        % {"n": count},
    )
    return redirect("privacy", code=org.code)


@login_required
@require_POST
def request_status(request, code, request_code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    req = get_object_or_404(PrivacyRequest, organisation=org, code=request_code)
    status = request.POST.get("status")
    if status not in RequestStatus.values:
        messages.error(request, _("Choose a status."))
        return redirect("privacy", code=org.code)
    req.status = status
    req.handled_at = timezone.now() if status != RequestStatus.OPEN else None
    req.handled_by = request.user if status != RequestStatus.OPEN else None
    req.save(update_fields=["status", "handled_at", "handled_by"])
    AuditEvent.record(
        org, request.user, AuditAction.REQUEST, request=str(req.code), kind=req.kind, status=status
    )
    return redirect("privacy", code=org.code)


@login_required
@require_POST
def export(request, code):
    membership = get_membership(request, code, own=True)
    org = membership.organisation
    body = dataexport.build_zip(org)
    AuditEvent.record(org, request.user, AuditAction.EXPORT, bytes=len(body))
    response = HttpResponse(body, content_type="application/zip")
    name = f"{org.slug}-data-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def delete(request, code):
    membership = get_membership(request, code, own=True)
    org = membership.organisation
    form = DeleteForm(org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = org.name
        delete_organisation(org, request.user)
        messages.success(request, _("%(org)s and all its data were deleted.") % {"org": name})
        return redirect("index")
    return render(
        request, "privacy/delete.html", {"org": org, "membership": membership, "form": form}
    )


@login_required
def processing_register(request, code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    rows = register.register(org)
    wanted = request.GET.get("format", "")
    if wanted == "csv":
        response = HttpResponse(register.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{org.slug}-register.csv"'
        return response
    if wanted == "md":
        response = HttpResponse(
            register.as_markdown(org, rows), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{org.slug}-register.md"'
        return response
    return render(
        request, "privacy/register.html", {"org": org, "membership": membership, "rows": rows}
    )


def public(request):
    """What is collected, from where, why, for whom, how to opt out; and the form."""
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return redirect("privacy-sent")  # a bot: accepted, not stored
        try:
            rates.check(
                _("Too many requests from here this hour: try again later."),
                ("privacy_per_client", client_ip(request), rates.limit("privacy_per_client")),
                (
                    "privacy_per_email",
                    form.cleaned_data["email"].lower(),
                    rates.limit("privacy_per_email"),
                ),
            )
        except rates.RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "privacy/public.html", _public_ctx(form), status=429)
        req = form.save(commit=False)
        req.organisation = _named(req.organisation_named)
        req.save()
        return redirect("privacy-sent")
    return render(request, "privacy/public.html", _public_ctx(form))


def _public_ctx(form) -> dict:
    return {"form": form, "user_agent": settings.FETCH_USER_AGENT}


def _named(text: str):
    """The one organisation of this exact name or slug, else None: the request then
    goes to the service operator. Whether one matched is never shown to the public."""
    text = (text or "").strip()
    if not text:
        return None
    found = list(Organisation.objects.filter(name__iexact=text)[:2]) or list(
        Organisation.objects.filter(slug=text)[:2]
    )
    return found[0] if len(found) == 1 else None


def sent(request):
    return render(request, "privacy/sent.html")
