"""Creating organisations and their members (shared by commands, demo and admin)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from reputation.models import Membership, Organisation, Role


def get_or_create_user(email: str, password: str | None = None):
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email[:150], email=email)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_organisation(slug: str, name: str, owner_email: str, password: str | None = None):
    """Create (or update the name of) an organisation and make `owner_email` its owner."""
    org, created = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    if not created and name and org.name != name:
        org.name = name
        org.save(update_fields=["name"])
    user = get_or_create_user(owner_email, password)
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=org, defaults={"role": Role.OWNER}
    )
    if membership.role != Role.OWNER:
        membership.role = Role.OWNER
        membership.save(update_fields=["role"])
    return org, created
