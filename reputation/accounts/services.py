"""Sign-up, client organisations, invitations and roles: plain functions the views call.

Rules on roles: owners and admins manage members; only an owner gives or takes the
owner role; an organisation always keeps at least one owner.
"""

import smtplib

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reputation.accounts.emails import send_templated
from reputation.accounts.models import Invitation
from reputation.orgs.create import get_or_create_user
from reputation.orgs.models import Membership, Organisation, Role


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
def create_client(name: str, owner, language: str = "fr") -> Organisation:
    """A new organisation owned by `owner` (a consultant adds a client this way)."""
    org = Organisation.objects.create(slug=unique_slug(name), name=name, language=language)
    Membership.objects.create(user=owner, organisation=org, role=Role.OWNER)
    return org


@transaction.atomic
def sign_up(org_name: str, email: str, password: str, name: str = "", language: str = "fr"):
    """Create the user and their organisation; returns (user, organisation)."""
    user = get_or_create_user(email, password)
    if name:
        user.first_name = name[:150]
        user.save(update_fields=["first_name"])
    return user, create_client(org_name, user, language)


def invite(org: Organisation, inviter, email: str, role: str) -> Invitation:
    """Record an invitation and email its link (a new one replaces a pending one)."""
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
        send_templated(email, "invitation", context, language=org.language)
    except (smtplib.SMTPException, OSError) as exc:
        invitation.delete()  # nobody received its link
        raise InvitationNotSent(str(exc)) from exc
    return invitation


@transaction.atomic
def accept(invitation: Invitation, user) -> Membership:
    """Make `user` a member with the invited role (an existing membership is kept)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
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
