"""Alert preferences, per-organisation alert settings, webhooks and the outbox.

A Notification row is written before anything is sent (the outbox); a sender
claims it with a conditional UPDATE, so that each row is handed to the mail
server or webhook at most once whatever the number of workers or retries.
"""

import base64
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Role


class DigestFrequency(models.TextChoices):
    OFF = "off", _("Never")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class AlertSettings(models.Model):
    """The organisation's alert scan state (its time zone is Organisation.zone)."""

    organisation = models.OneToOneField(
        "orgs.Organisation", models.CASCADE, related_name="alert_settings"
    )
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

    # What an owner would want each member to get from the start, whoever invited
    # them (a consultant's client, a colleague): those who run the organisation get
    # instant alerts and spikes, everyone the weekly digest, owners the monthly
    # report. Each person may change it afterwards. The one statement of that rule:
    # a row is created with these defaults when first needed (at the latest when an
    # invitation is accepted), and until then a membership counts as having them.
    ALERTED_BY_DEFAULT = (Role.OWNER, Role.ADMIN)
    REPORTED_BY_DEFAULT = (Role.OWNER,)

    @classmethod
    def defaults_for(cls, role: str) -> dict:
        alerted = role in cls.ALERTED_BY_DEFAULT
        return {
            "instant": alerted,
            "spikes": alerted,
            "monthly_report": role in cls.REPORTED_BY_DEFAULT,
            "digest": DigestFrequency.WEEKLY,
            "language": settings.LANGUAGE_CODE,
        }

    @classmethod
    def wants_instant(cls) -> models.Q:
        """Memberships that get instant alerts, with a preference row or not yet."""
        return models.Q(alert_preference__instant=True) | models.Q(
            alert_preference__isnull=True,
            role__in=[r for r in Role.values if cls.defaults_for(r)["instant"]],
        )


class WebhookKind(models.TextChoices):
    # What reads the `text` field: each escapes markup by its own rules (transports.py).
    SLACK = "slack", _("Slack")
    MATTERMOST = "mattermost", _("Mattermost")
    # A versioned JSON document, signed (reputation/webhooks/, docs/webhooks.md).
    JSON = "json", _("JSON (signed, for developers)")


def new_webhook_secret() -> str:
    """Standard Webhooks' form: `whsec_` and the base64 of the key (192 random bits)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class Webhook(models.Model):
    """A Slack or Mattermost incoming webhook, or a signed JSON receiver, of an organisation."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("orgs.Organisation", models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    kind = models.CharField(max_length=16, choices=WebhookKind.choices, default=WebhookKind.SLACK)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)
    # Signs JSON deliveries. Kept as is, not hashed: signing needs the key itself
    # (as Stripe's or Svix's signing secrets). Shown to admins once, then rotated.
    secret = models.CharField(max_length=64, default=new_webhook_secret, editable=False)

    def __str__(self) -> str:
        return self.url

    @property
    def signed(self) -> bool:
        return self.kind == WebhookKind.JSON

    def rotate_secret(self) -> str:
        """A new secret from now on (the old one stops signing at once); returns it."""
        self.secret = new_webhook_secret()
        self.save(update_fields=["secret"])
        return self.secret


class NotificationKind(models.TextChoices):
    INSTANT = "instant", _("Alert")
    SPIKE = "spike", _("Unusual number of negative mentions")
    DIGEST = "digest", _("Digest")
    REPORT = "report", _("Monthly report")
    # An admin's "send a test" to a webhook (reputation/webhooks/deliveries.py).
    TEST = "test", _("Test")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being prepared")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def _claimable(now) -> models.Q:
    """Due and waiting, or claimed by a sender whose lease ran out (it died preparing)."""
    S = NotificationStatus
    return models.Q(status=S.PENDING, next_attempt__lte=now) | models.Q(
        status=S.CLAIMED, claimed_until__lt=now
    )


class NotificationQuerySet(models.QuerySet):
    """The outbox's states, asked here by every sender (as Source.objects.claim())."""

    def due(self, now=None):
        return self.filter(_claimable(now or timezone.now())).order_by("next_attempt")

    def claim(self, pk, now=None) -> uuid.UUID | None:
        """Lease this row to a new token, or None if it is not claimable (another
        sender holds it, or it was sent). A conditional UPDATE: of two senders, or of
        a task run twice, only one gets the token."""
        now = now or timezone.now()
        token = uuid.uuid4()
        won = (
            self.filter(_claimable(now), pk=pk).update(
                status=NotificationStatus.CLAIMED,
                claim_token=token,
                claimed_until=now + timedelta(seconds=settings.ALERT_LEASE_SECONDS),
                attempts=models.F("attempts") + 1,
            )
            > 0
        )
        return token if won else None

    def held(self, pk, token):
        """The row while `token` still holds its claim (not yet handed to the network)."""
        return self.filter(pk=pk, claim_token=token, status=NotificationStatus.CLAIMED)

    def interrupted(self, now=None):
        """Rows whose sender died while sending: they may have arrived."""
        now = now or timezone.now()
        return self.filter(status=NotificationStatus.SENDING, claimed_until__lt=now)


class Notification(models.Model):
    """One message to one recipient (a member's email or a webhook), recorded before sending.

    PENDING -> CLAIMED (a sender holds it, nothing of it left the machine yet) -> SENDING
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

    objects = NotificationQuerySet.as_manager()

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

    @property
    def late(self) -> timedelta | None:
        """How long after it was due it was sent (when it took more than one attempt)."""
        if self.sent_at is None or self.attempts < 2:
            return None
        return max(timedelta(0), self.sent_at - self.created)


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
