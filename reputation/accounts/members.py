"""Members of an organisation: list, invitations by email, role changes, removal,
and accepting an invitation. Managing needs the owner or admin role."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reputation.access import get_membership
from reputation.accounts import services
from reputation.accounts.addresses import find_user
from reputation.accounts.forms import AcceptForm, InviteForm, RoleForm, role_choices
from reputation.accounts.models import Invitation, hash_token
from reputation.orgs.create import get_or_create_user
from reputation.orgs.models import Membership
from reputation.privacy.audit import member_changed
from reputation.security.rates import RateLimited


@login_required
def members(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    ctx = {
        "org": org,
        "membership": membership,
        "members": Membership.objects.filter(organisation=org)
        .select_related("user")
        .order_by("user__email"),
        "invitations": [
            i for i in Invitation.objects.filter(organisation=org, accepted_at=None) if i.pending
        ],
        "form": InviteForm(membership),
        "roles": role_choices(membership),
    }
    return render(request, "accounts/members.html", ctx)


@login_required
@require_POST
def member_invite(request, code):
    membership = get_membership(request, code, manage=True)
    org = membership.organisation
    form = InviteForm(membership, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    elif Membership.objects.filter(
        organisation=org, user=find_user(form.cleaned_data["email"])
    ).exists():
        messages.error(request, _("This person is already a member."))
    else:
        try:
            services.invite(
                org, request.user, form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except RateLimited as exc:
            messages.error(request, exc.message)
            return redirect("members", code=org.code)
        except services.InvitationNotSent:
            messages.error(
                request,
                _("The invitation could not be sent: the mail server did not answer. "
                  "Try again in a few minutes."),
            )  # fmt: skip
            return redirect("members", code=org.code)
        messages.success(
            request,
            _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
    return redirect("members", code=org.code)


def _target(membership, request) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation"),
        organisation=membership.organisation,
        pk=request.POST.get("member") or 0,
    )


@login_required
@require_POST
def member_role(request, code):
    membership = get_membership(request, code, manage=True)
    form = RoleForm(membership, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("members", code=code)
    target = _target(membership, request)
    try:
        old = target.role
        services.change_role(membership, target, form.cleaned_data["role"])
        member_changed(membership, target, old, form.cleaned_data["role"])
        messages.success(request, _("Role changed."))
    except services.RoleError as exc:
        messages.error(request, str(exc))
    return redirect("members", code=code)


@login_required
@require_POST
def member_remove(request, code):
    membership = get_membership(request, code, manage=True)
    target = _target(membership, request)
    try:
        services.remove(membership, target)
        member_changed(membership, target, target.role, None)
        messages.success(
            request, _("%(email)s no longer has access.") % {"email": target.user.email}
        )
    except services.RoleError as exc:
        messages.error(request, str(exc))
    return redirect("members", code=code)


@login_required
@require_POST
def invitation_revoke(request, code, invitation_code):
    membership = get_membership(request, code, manage=True)
    invitation = get_object_or_404(
        Invitation, organisation=membership.organisation, code=invitation_code
    )
    invitation.delete()
    messages.success(request, _("Invitation cancelled."))
    return redirect("members", code=code)


def invitation_accept(request, token):
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token), accepted_at=None)
        .first()
    )
    if invitation is None or invitation.expired:
        return render(request, "accounts/invitation_invalid.html", status=404)
    org = invitation.organisation
    existing = find_user(invitation.email)
    form = None
    if request.user.is_authenticated and not services.is_invited(invitation, request.user):
        # A forwarded or leaked link must not let another account join with its role
        # (issue 17, point 6): only the invited address may accept.
        ctx = {"invitation": invitation, "org": org, "wrong_account": True}
        return render(request, "accounts/invitation.html", ctx, status=403)
    if request.method == "POST" and request.user.is_authenticated:
        services.accept(invitation, request.user)
        return _welcome(request, org)
    if not request.user.is_authenticated and existing is None:
        form = AcceptForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            user = get_or_create_user(invitation.email, form.cleaned_data["password"])
            if form.cleaned_data["name"]:
                user.first_name = form.cleaned_data["name"]
                user.save(update_fields=["first_name"])
            services.accept(invitation, user)
            login(request, user, backend="reputation.backends.EmailBackend")
            return _welcome(request, org)
    ctx = {"invitation": invitation, "org": org, "existing": existing, "form": form}
    return render(request, "accounts/invitation.html", ctx)


def _welcome(request, org):
    messages.success(request, _("You now have access to %(org)s.") % {"org": org.name})
    return redirect("dashboard", code=org.code)
