"""Alert preferences, per-organisation alert settings, webhooks and the outbox.

A Notification row is written before anything is sent (the outbox); a sender
claims it with a conditional UPDATE, so that each row is handed to the mail
server or webhook at most once whatever the number of workers or retries.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestFrequency(models.TextChoices):
    OFF = "off", _("Never")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class AlertSettings(models.Model):
    """What the organisation shares for alerts: its time zone, and the scan's state."""

    organisation = models.OneToOneField(
        "orgs.Organisation", models.CASCADE, related_name="alert_settings"
    )
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    # Spike detection alerts once per spike: the moment the current one began.
    spike_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"alert settings of {self.organisation_id}"


class AlertPreference(models.Model):
    """What one member wants to hear about one organisation (a consultant has one per client)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.OneToOneField(
        "orgs.Membership", models.CASCADE, related_name="alert_preference"
    )
    instant = models.BooleanField(default=True)
    spikes = models.BooleanField(default=True)
    # Instant email for mentions at least this severe (0-100, see docs/alerts.md);
    # the others wait for the digest.
    threshold = models.PositiveSmallIntegerField(default=50)
    digest = models.CharField(
        max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    # Empty: the organisation's own names (everything but competitors).
    monthly_report = models.BooleanField(default=True)
    tracked_names = models.ManyToManyField("names.TrackedName", blank=True, related_name="+")
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    # French first; new preferences take the site's LANGUAGE_CODE (preferences.py).
    language = models.CharField(max_length=8, default="fr")
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"alert preference of {self.membership_id}"


class Webhook(models.Model):
    """A Slack or Mattermost incoming webhook (or any JSON receiver) of an organisation."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("orgs.Organisation", models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url


class NotificationKind(models.TextChoices):
    INSTANT = "instant", _("Alert")
    SPIKE = "spike", _("Unusual number of negative mentions")
    DIGEST = "digest", _("Digest")
    REPORT = "report", _("Monthly report")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being prepared")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one recipient (a member's email or a webhook), recorded before sending.

    PENDING -> CLAIMED (a sender holds it, nothing left the machine yet) -> SENDING
    (handed to the network) -> SENT. A sender that dies while CLAIMED is replaced once
    `claimed_until` passes; one that dies while SENDING may have delivered it, so the
    row becomes FAILED rather than risk a duplicate, with the reason shown.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", models.CASCADE, related_name="notifications"
    )
    preference = models.ForeignKey(
        AlertPreference, models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    webhook = models.ForeignKey(
        Webhook, models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=8, choices=NotificationKind.choices)
    mentions = models.ManyToManyField("mentions.Mention", blank=True, related_name="+")
    # Kind-specific facts frozen at creation (spike figures, digest period...).
    data = models.JSONField(default=dict, blank=True)
    # Digests and reports: one per recipient and period (a second run creates nothing).
    period_start = models.DateTimeField(null=True, blank=True)

    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    next_attempt = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Seconds from the publication of the oldest mention to sending (instant alerts).
    delay = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["status", "next_attempt"], name="notification_due"),
            models.Index(fields=["organisation", "-created"], name="notification_org"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["preference", "kind", "period_start"],
                condition=models.Q(period_start__isnull=False),
                name="unique_notification_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} notification {self.code}"

    @property
    def delay_td(self) -> timedelta | None:
        return None if self.delay is None else timedelta(seconds=self.delay)


class MentionScan(models.Model):
    """A mention the alert scan has looked at (its row is the claim).

    The scan inserts one row per new mention, ignoring conflicts on the mention,
    then reads back the rows bearing its own token: those it inserted are its own.
    A mention is thus considered once even with two scans at the same moment, and
    Mention (written by bulk_create, which sends no signal) needs no new field.
    """

    mention = models.OneToOneField(
        "mentions.Mention", models.CASCADE, primary_key=True, related_name="alert_scan"
    )
    token = models.UUIDField(db_index=True)
    scanned = models.DateTimeField(default=timezone.now)
    severity = models.PositiveSmallIntegerField(default=0)
    urgent = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"scan of mention {self.mention_id}"
