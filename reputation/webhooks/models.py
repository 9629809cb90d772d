"""The delivery log: one row per attempt to hand a notification to a webhook."""

from django.db import models
from django.utils import timezone

# Rows kept per webhook (older ones are deleted as new ones are written).
KEPT_PER_WEBHOOK = 50
# Bytes of the receiver's answer kept (and read: the rest is never downloaded).
ANSWER_BYTES = 2048


class WebhookDeliveryQuerySet(models.QuerySet):
    def for_webhook(self, webhook):
        return self.filter(webhook=webhook).order_by("-created", "-pk")

    def trim(self, webhook) -> int:
        """Keep the last KEPT_PER_WEBHOOK rows of this webhook."""
        old = self.for_webhook(webhook).values_list("pk", flat=True)[KEPT_PER_WEBHOOK:]
        return self.filter(pk__in=list(old)).delete()[0]


class WebhookDelivery(models.Model):
    """One attempt: what was sent (to redeliver it) and what the receiver answered."""

    webhook = models.ForeignKey("alerts.Webhook", models.CASCADE, related_name="deliveries")
    # Kept when the notification goes: the log outlives the outbox row.
    notification = models.ForeignKey(
        "alerts.Notification", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The delivery id sent as `webhook-id` (the same for every attempt and redelivery).
    message_id = models.CharField(max_length=64)
    event = models.CharField(max_length=32)
    attempt = models.PositiveSmallIntegerField(default=1)
    created = models.DateTimeField(default=timezone.now)
    # None: no answer (refused address, timeout, connection failed): see `error`.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # The first ANSWER_BYTES of the answer's body, as text (undecodable bytes replaced).
    response = models.TextField(blank=True)
    error = models.TextField(blank=True)
    # The exact JSON sent (without the signature headers, which change each attempt).
    body = models.TextField()

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["webhook", "-created"], name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"delivery {self.message_id} #{self.attempt}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
