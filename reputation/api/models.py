"""API keys and the answers kept for idempotent retries.

A key belongs to one member of one organisation: it sees that organisation only,
and never more than the member's current role allows (checked on each request by
reputation/api/auth.py). Only a hash of the secret is stored; the whole key is
shown once, when it is created.
"""

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Organisation, Role

READ, WRITE, ADMIN = "mentions:read", "mentions:write", "admin"
SCOPE_CHOICES = [
    (READ, _("Read mentions, names, sources and figures")),
    (WRITE, _("Change mentions (status, tags, assignee, tone)")),
    (ADMIN, _("Manage webhooks")),
]
# What each role may give its keys: never more than it may do in the UI.
ROLE_SCOPES = {
    Role.OWNER: {READ, WRITE, ADMIN},
    Role.ADMIN: {READ, WRITE, ADMIN},
    Role.MEMBER: {READ, WRITE},
    Role.VIEWER: {READ},
}
PREFIX = "rk_"


def scopes_for(role: str) -> set[str]:
    return ROLE_SCOPES.get(role, set())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked__isnull=True)

    def find(self, token: str) -> "ApiKey | None":
        """The active key this token is, or None: looked up by its public prefix,
        then its secret compared in constant time with the stored hash."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        prefix, _sep, secret = token[len(PREFIX) :].partition("_")
        if not prefix or not secret:
            return None
        key = self.active().select_related("organisation", "user").filter(prefix=prefix).first()
        if key is None or not hmac.compare_digest(key.hashed, digest(secret)):
            return None
        return key


class ApiKey(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="api_keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    # Shown in lists so that a person recognises the key; the secret is not stored.
    prefix = models.CharField(max_length=16, unique=True)
    hashed = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({PREFIX}{self.prefix}…)"

    @classmethod
    def issue(cls, membership, name: str, scopes) -> tuple["ApiKey", str]:
        """A new key for this member; returns it and the whole token, shown once."""
        allowed = scopes_for(membership.role)
        if not scopes or not set(scopes) <= allowed:
            raise ValueError("scopes beyond the member's role")
        prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        key = cls.objects.create(
            organisation=membership.organisation,
            user=membership.user,
            name=name,
            prefix=prefix,
            hashed=digest(secret),
            scopes=sorted(set(scopes)),
        )
        return key, f"{PREFIX}{prefix}_{secret}"

    @property
    def shown(self) -> str:
        return f"{PREFIX}{self.prefix}…"

    def revoke(self) -> None:
        if self.revoked is None:
            self.revoked = timezone.now()
            self.save(update_fields=["revoked"])


class IdempotentAnswer(models.Model):
    """The answer to a POST sent with an Idempotency-Key, replayed for 24 hours to
    a retry with the same key and body (reputation/api/idempotency.py)."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    # 0 while the first request is being answered.
    status = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"idempotency key {self.key} of {self.organisation_id}"
