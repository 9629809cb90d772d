"""Privacy under the GDPR: the organisation is the controller, the service its processor.

- PrivacySettings: how long the organisation keeps its mentions (retention);
- ErasedAuthor: a person erased from one organisation's data, kept out of its
  future collection (reputation/privacy/screening.py);
- PrivacyRequest: an access, objection or erasure request from the public page,
  with its one-month deadline (GDPR art. 12(3));
- AuditEvent: who exported, erased, changed roles, retention, or deleted.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Organisation

DEFAULT_RETENTION_MONTHS = 13
# GDPR art. 12(3): an answer within one month of receipt.
REQUEST_DEADLINE = timedelta(days=30)


class PrivacySettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="privacy_settings"
    )
    # Mentions published longer ago are deleted (reputation/privacy/retention.py).
    retention_months = models.PositiveSmallIntegerField(default=DEFAULT_RETENTION_MONTHS)
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"privacy settings of {self.organisation_id}"

    @classmethod
    def months_for(cls, org_ids) -> dict[int, int]:
        """Each organisation's retention in months (the default when never set)."""
        org_ids = list(org_ids)
        found = dict(
            cls.objects.filter(organisation_id__in=org_ids).values_list(
                "organisation_id", "retention_months"
            )
        )
        return {pk: cls.months_or_default(found.get(pk)) for pk in org_ids}

    @staticmethod
    def months_or_default(months: int | None) -> int:
        """The retention of an organisation whose settings say `months` (None: never set)."""
        return DEFAULT_RETENTION_MONTHS if months is None else months

    @classmethod
    def months_of(cls, org) -> int:
        return cls.months_for([org.pk])[org.pk]


def retention_cutoff(months: int, now=None):
    """The moment before which an organisation keeping `months` months keeps nothing."""
    now = now or timezone.now()
    return now - timedelta(days=round(months * 365.25 / 12))


class ErasedAuthor(models.Model):
    """A person erased from one organisation: by name (compared case- and
    space-insensitively) and/or by profile address (items whose address starts with it)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="erased_authors")
    name = models.CharField(max_length=300, blank=True)
    # Folded form of `name`, what mentions are compared with.
    name_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    profile_url = models.URLField(max_length=2000, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name or self.profile_url

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)

    def matches(self, author: str, url: str) -> bool:
        if self.name_key and fold(author) == self.name_key:
            return True
        return bool(self.profile_url) and under(url, self.profile_url)


def fold(name: str) -> str:
    """A name as compared: spaces collapsed, case folded."""
    return " ".join((name or "").split()).casefold()[:300]


def under(url: str, profile: str) -> bool:
    """Whether `url` is the profile address or a page below it."""
    url, profile = (url or "").strip(), profile.strip().rstrip("/")
    if not url or not profile:
        return False
    return url.rstrip("/") == profile or url.startswith(profile + "/")


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to my data")
    OBJECTION = "objection", _("Objection to the processing")
    ERASURE = "erasure", _("Erasure of my data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("To answer")
    DONE = "done", _("Answered")
    REFUSED = "refused", _("Refused (with reasons)")


class PrivacyRequest(models.Model):
    """A request from the public page. With an organisation it goes to that
    organisation's owners and administrators (the controller); without, to the
    service operator (Django admin), who forwards it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="privacy_requests"
    )
    # What the person typed to name the organisation (kept for the operator).
    organisation_named = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    name = models.CharField(max_length=300)
    email = models.EmailField()
    profile_url = models.URLField(max_length=2000, blank=True)
    message = models.TextField(max_length=4000, blank=True)
    created = models.DateTimeField(default=timezone.now)
    due = models.DateTimeField()
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default="open")
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due"]
        indexes = [models.Index(fields=["organisation", "status", "due"], name="privreq_due")]

    def __str__(self) -> str:
        return f"{self.kind} request {self.code}"

    def save(self, *args, **kwargs):
        if self.due is None:
            self.due = (self.created or timezone.now()) + REQUEST_DEADLINE
        super().save(*args, **kwargs)

    @property
    def overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and self.due < timezone.now()


class AuditAction(models.TextChoices):
    EXPORT = "export", _("Exported all data")
    ERASE = "erase", _("Erased a person")
    ROLE = "role", _("Changed a role")
    REMOVE_MEMBER = "remove_member", _("Removed a member")
    RETENTION = "retention", _("Changed the retention")
    REQUEST = "request", _("Handled a privacy request")
    DELETE_ORG = "delete_org", _("Deleted the organisation")


class AuditEvent(models.Model):
    """Who did what to an organisation's personal data, and when. The organisation's
    name is copied: the event of its deletion outlives it (for the operator)."""

    organisation = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_email = models.CharField(max_length=254, blank=True)
    created = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["organisation", "-created"], name="audit_org_created")]

    def __str__(self) -> str:
        return f"{self.action} by {self.user_email} at {self.created:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, org, user, action: str, **details) -> "AuditEvent":
        return cls.objects.create(
            organisation=org,
            organisation_name=org.name if org else "",
            user=user if user and user.is_authenticated else None,
            user_email=getattr(user, "email", "") or "",
            action=action,
            details=details,
        )
