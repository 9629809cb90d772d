"""Sign-up, client organisations, invitations and roles: plain functions the views call.

Rules on roles: owners and admins manage members; only an owner gives or takes the
owner role; an organisation always keeps at least one owner.
"""

import smtplib
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reputation import emails
from reputation.accounts.addresses import find_user, normalise
from reputation.accounts.models import SIGNUP_DAYS, Invitation, PendingSignup
from reputation.alerts.preferences import preference_for
from reputation.diagnostic import services as diagnostics
from reputation.orgs.create import get_or_create_user
from reputation.orgs.models import Membership, Organisation, Role
from reputation.security import rates
from reputation.security.limits import check_can_create_organisation


class InvitationNotSent(Exception):
    """The mail server refused or could not be reached."""


class RoleError(Exception):
    """A change of role or a removal the rules forbid; the message is for users."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_client(
    name: str, owner, language: str = "fr", time_zone: str = "Europe/Paris"
) -> Organisation:
    """A new organisation owned by `owner` (a consultant adds a client this way).
    Raises LimitReached past ORG_MAX_PER_USER organisations created by `owner`."""
    check_can_create_organisation(owner)
    org = Organisation.objects.create(
        slug=unique_slug(name),
        name=name,
        language=language,
        time_zone=time_zone,
        created_by=owner,
    )
    Membership.objects.create(user=owner, organisation=org, role=Role.OWNER)
    return org


def request_sign_up(data: dict, language: str, client: str) -> None:
    """Email the address a link that finishes the sign-up, or, if it has an account
    already, tell its owner so. The person signing up is told the same either way
    ("check your email"): the form no longer says who has an account. Limited per
    client address and per email address each hour (RateLimited)."""
    email = data["email"]
    rates.check(
        _("Too many sign-ups this hour: try again later."),
        ("signup-client", client, rates.limit("signup_per_client")),
        ("signup-email", email, rates.limit("signup_per_email")),
    )
    password = make_password(data["password"])  # hashed in both cases: same timing
    if find_user(email) is not None:
        emails.send("signup-existing", email, {"url": reverse("login")}, language)
        return
    PendingSignup.objects.filter(email=email).delete()  # the newest sign-up wins
    pending = PendingSignup(
        email=email,
        organisation=data["organisation"],
        name=data.get("name") or "",
        password=password,
        language=language,
        time_zone=data.get("time_zone") or "Europe/Paris",
        diagnostic=data.get("diagnostic"),
    )
    token = pending.new_token()
    pending.save()
    # The diagnostic outlives its 24 hours as long as the sign-up may be confirmed.
    diagnostics.hold(pending.diagnostic, pending.created + timedelta(days=SIGNUP_DAYS))
    url = reverse("signup-confirm", args=[token])
    emails.send("signup-confirm", email, {"url": url}, language)


@transaction.atomic
def confirm_sign_up(pending: PendingSignup):
    """Create the user and their organisation from a confirmed sign-up; returns
    (user, organisation), or None if the address got an account meanwhile."""
    if find_user(pending.email) is not None:
        pending.delete()
        return None
    user = get_or_create_user(pending.email)
    user.password = pending.password
    user.first_name = pending.name[:150]
    user.save(update_fields=["password", "first_name"])
    org = create_client(pending.organisation, user, pending.language, pending.time_zone)
    diagnostics.adopt(pending.diagnostic, org)
    pending.delete()
    return user, org


def invite(org: Organisation, inviter, email: str, role: str) -> Invitation:
    """Record an invitation and email its link (a new one replaces a pending one).
    Limited per inviting account and per organisation each hour (RateLimited): the
    email carries the organisation's name to an address anyone may type."""
    rates.check(
        _("Too many invitations this hour: try again later."),
        ("invite-account", inviter.pk, rates.limit("invite_per_account")),
        ("invite-org", org.pk, rates.limit("invite_per_org")),
    )
    Invitation.objects.filter(organisation=org, email=email, accepted_at=None).delete()
    invitation = Invitation(organisation=org, email=email, role=role, invited_by=inviter)
    token = invitation.new_token()
    invitation.save()
    context = {
        "org": org,
        "inviter": inviter.get_full_name() or inviter.email,
        "role": Role(role).label,
        "url": reverse("invitation-accept", args=[token]),
    }
    try:
        emails.send("invitation", email, context, language=org.language)
    except (smtplib.SMTPException, OSError) as exc:
        invitation.delete()  # nobody received its link
        raise InvitationNotSent(str(exc)) from exc
    return invitation


def is_invited(invitation: Invitation, user) -> bool:
    """Only the invited address accepts: an account logged in with it, or a new account
    created with exactly it (the link came to that mailbox, which proves it)."""
    return normalise(user.email) == normalise(invitation.email)


@transaction.atomic
def accept(invitation: Invitation, user) -> Membership:
    """Make `user` a member with the invited role (an existing membership is kept)."""
    if not is_invited(invitation, user):
        raise PermissionDenied("this invitation is for another address")
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    # What their role gets by default (AlertPreference.defaults_for), visible and
    # changeable on their alerts page from the first visit.
    preference_for(membership)
    return membership


def _owners(org) -> int:
    return Membership.objects.filter(organisation=org, role=Role.OWNER).count()


def check_change(manager: Membership, target: Membership, role: str | None) -> None:
    """Raise RoleError if `manager` may not give `target` this role (None: remove)."""
    touches_owner = target.role == Role.OWNER or role == Role.OWNER
    if touches_owner and manager.role != Role.OWNER:
        raise RoleError(_("Only an owner can change an owner or name a new one."))
    if target.role == Role.OWNER and role != Role.OWNER and _owners(target.organisation) <= 1:
        raise RoleError(_("The organisation needs at least one owner: name another one first."))


def change_role(manager: Membership, target: Membership, role: str) -> None:
    check_change(manager, target, role)
    target.role = role
    target.save(update_fields=["role"])


def remove(manager: Membership, target: Membership) -> None:
    check_change(manager, target, None)
    target.delete()
