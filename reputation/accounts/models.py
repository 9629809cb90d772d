"""Invitations to join an organisation."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from reputation.orgs.models import Role

# An invitation left unanswered this long must be sent again.
INVITATION_DAYS = 14
# A sign-up not confirmed from its email this long is forgotten.
SIGNUP_DAYS = 3


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An email address invited with a role. Only a hash of the emailed token is
    stored: a leaked database does not let anyone join."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, default="member")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.organisation_id} ({self.role})"

    def new_token(self) -> str:
        """Give the invitation a fresh token; returns it (to be emailed, never stored)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role

    @property
    def expired(self) -> bool:
        return self.created < timezone.now() - timedelta(days=INVITATION_DAYS)

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and not self.expired


class PendingSignup(models.Model):
    """A sign-up waiting for its address to be confirmed (issue 17, point 7). Nothing
    exists, and nothing is sent to anyone else, until the link emailed to the address
    is opened: then the account and its organisation are created. Only a hash of the
    token and of the password is kept. The email with the link carries none of what
    was typed (neither the organisation's name nor the person's): whoever types
    someone else's address cannot put words in that person's mailbox."""

    email = models.EmailField()
    organisation = models.CharField(max_length=200)
    name = models.CharField(max_length=150, blank=True)
    password = models.CharField(max_length=128)  # make_password(): a hash
    language = models.CharField(max_length=8, default="fr")
    time_zone = models.CharField(max_length=64, default="Europe/Paris")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    # The free diagnostic this sign-up started from (reputation/diagnostic): once
    # confirmed, the organisation tracks its name and follows what it found.
    diagnostic = models.UUIDField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} (pending)"

    def new_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token

    @property
    def expired(self) -> bool:
        return self.created < timezone.now() - timedelta(days=SIGNUP_DAYS)


class Brand(models.Model):
    """A consultant's name and logo, put on the monthly reports of the clients they
    choose (white-label; reputation/accounts/branding.py says which report uses it).
    The logo is a PNG re-encoded from the upload (branding.clean_logo), kept here
    rather than as a file: no path to guess, and it goes with the account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="brand")
    display_name = models.CharField(max_length=100, blank=True)
    logo = models.BinaryField(blank=True, default=b"")
    # Clients whose reports carry it (only those where the user is admin or owner count).
    clients = models.ManyToManyField("orgs.Organisation", blank=True, related_name="+")
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"brand of {self.user_id}"
