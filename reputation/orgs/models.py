"""Organisations and their members, with roles."""

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)
    # Its dates everywhere (see `zone`); the language of its emails.
    time_zone = models.CharField(max_length=64, default="Europe/Paris")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="fr")
    # Who created it from the site: one person creates at most ORG_MAX_PER_USER.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Moves with any change to what its names match (reputation/names/signals.py): a
    # worker rebuilds this organisation's matcher only, never the others'.
    matcher_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's one time zone: its pages' dates, its dashboard's days,
        its reports' months, its digests' periods, its members' quiet hours."""
        return zone_named(self.time_zone)


def zone_named(time_zone: str) -> ZoneInfo:
    """The zone of an organisation whose `time_zone` is this (the site's when unknown)."""
    try:
        return ZoneInfo(time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role != Role.VIEWER

    @property
    def can_manage(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER
