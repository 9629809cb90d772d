"""Creating organisations and their members (shared by commands, demo and admin).

A password is checked by the project's validators wherever it is set, and an
existing account's password or role is never changed without being asked to:
`createorg` for a new organisation must not take over someone's account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from reputation.accounts.addresses import find_user, normalise
from reputation.orgs.models import Membership, Organisation, Role


class Refused(ValueError):
    """What was asked would change an existing account without being told to."""


def get_or_create_user(
    email: str, password: str | None = None, reset_password: bool = False, validate: bool = True
):
    """The user with this email, created if new. `password` sets a new user's password;
    an existing user's only with `reset_password` (Refused otherwise). Raises Django's
    ValidationError when the password is too weak (unless `validate` is off: the demo)."""
    User = get_user_model()
    email = normalise(email)
    user = find_user(email)
    if user is None:
        user = User(username=email[:150], email=email)
        if password:
            if validate:
                validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password and not user.check_password(password):
        if not reset_password:
            raise Refused(f"{email} already has an account: its password was not changed")
        if validate:
            validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_organisation(
    slug: str,
    name: str,
    owner_email: str,
    password: str | None = None,
    reset_password: bool = False,
    make_owner: bool = False,
    validate: bool = True,
):
    """Create (or update the name of) an organisation and make `owner_email` its owner.

    An existing member with another role becomes owner only with `make_owner`."""
    org, created = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    if not created and name and org.name != name:
        org.name = name
        org.save(update_fields=["name"])
    user = get_or_create_user(owner_email, password, reset_password, validate)
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=org, defaults={"role": Role.OWNER}
    )
    if membership.role != Role.OWNER:
        if not make_owner:
            raise Refused(
                f"{user.email} is already {membership.get_role_display().lower()} of {slug}: "
                "their role was not changed (use --make-owner)"
            )
        membership.role = Role.OWNER
        membership.save(update_fields=["role"])
    return org, created
