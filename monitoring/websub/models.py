"""WebSub subscriptions: one per source whose feed names a hub.

The subscription carries its own rules (what the hub's verification may confirm,
what a push must be signed with, when its lease needs renewing); the service
(monitoring/websub/service.py) sends the requests and the callback view answers
the hub through these methods.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Source

# X-Hub-Signature methods the spec names (sha1 for older hubs).
SIGNATURE_METHODS = {"sha1", "sha256", "sha384", "sha512"}
# Hubs grant at most this lease whatever they say (a year), at least a minute.
MAX_LEASE = 365 * 86400


class State(models.TextChoices):
    REQUESTED = "requested", "requested, waiting for the hub's verification"
    ACTIVE = "active", "active: the hub pushes"
    DENIED = "denied", "denied by the hub"
    FAILED = "failed", "the request failed, retried later"
    ENDED = "ended", "unsubscribed"


class Mode(models.TextChoices):
    NONE = "", "nothing pending"
    SUBSCRIBE = "subscribe", "subscribe"
    UNSUBSCRIBE = "unsubscribe", "unsubscribe"


def may_write(now) -> Q:
    """A hub is written to again only once the last request's wait is over (a request
    unanswered or failed waits WEBSUB_RETRY_SECONDS): never a request a minute."""
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


class SubscriptionQuerySet(models.QuerySet):
    def to_renew(self, now):
        """Active leases that end within WEBSUB_RENEW_BEFORE."""
        soon = now + timedelta(seconds=settings.WEBSUB_RENEW_BEFORE)
        return self.filter(may_write(now), state=State.ACTIVE, expires_at__lte=soon)

    def to_retry(self, now):
        """Requests the hub never answered or that failed, and subscriptions ended
        earlier whose source is followed again (the caller filters on that)."""
        return self.filter(may_write(now), state__in=[State.REQUESTED, State.FAILED, State.ENDED])

    def to_end(self, now):
        """Subscriptions to end (the caller picks those nobody follows): not twice
        within the wait, but at once even if a subscription is still being verified."""
        live = self.filter(state__in=[State.ACTIVE, State.REQUESTED])
        return live.filter(may_write(now) | Q(pending=Mode.SUBSCRIBE))


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="websub")
    hub = models.URLField(max_length=2000)
    topic = models.URLField(max_length=2000)
    # In the callback's path: only the hub we told it to can reach this subscription.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    # Shared with the hub (hub.secret): pushes are signed with it.
    secret = models.CharField(max_length=64, default=new_token)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    # The mode of the request the hub has yet to verify ("" when none is pending).
    pending = models.CharField(max_length=16, choices=Mode.choices, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_push_at = models.DateTimeField(null=True, blank=True)
    pushes = models.PositiveIntegerField(default=0)
    refused_pushes = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.topic} via {self.hub} ({self.state})"

    def callback_url(self) -> str:
        return settings.SITE_ROOT + reverse("websub-callback", args=[self.token])

    # --- what the hub says ------------------------------------------------------

    def verify(self, mode: str, topic: str, lease_seconds: str | None, now=None) -> bool:
        """The hub's intent verification: True (echo the challenge) only for the request
        we have pending, same mode and same topic; the outcome is recorded."""
        if not self.pending or mode != self.pending or topic != self.topic:
            return False
        now = now or timezone.now()
        self.pending = ""
        self.verified_at = now
        self.next_attempt_at = None
        if mode == Mode.SUBSCRIBE:
            try:
                lease = int(lease_seconds or settings.WEBSUB_LEASE_SECONDS)
            except ValueError:
                lease = settings.WEBSUB_LEASE_SECONDS
            self.state = State.ACTIVE
            self.expires_at = now + timedelta(seconds=min(max(lease, 60), MAX_LEASE))
            self.last_error = ""
        else:
            self.state = State.ENDED
            self.expires_at = None
        self.save()
        self._mark_source()
        return True

    def deny(self, topic: str, reason: str) -> bool:
        """The hub refused (hub.mode=denied): polling alone from now on."""
        if topic != self.topic:
            return False
        self.state, self.pending, self.expires_at = State.DENIED, "", None
        self.next_attempt_at = None
        self.last_error = ("denied by the hub: " + reason)[:500]
        self.save()
        self._mark_source()
        return True

    def signature_ok(self, header: str, body: bytes) -> bool:
        """X-Hub-Signature: `method=hex` over the body with our secret, constant time."""
        method, _, given = (header or "").strip().partition("=")
        method = method.strip().lower()
        if method not in SIGNATURE_METHODS or not given:
            return False
        expected = hmac.new(self.secret.encode(), body, getattr(hashlib, method)).hexdigest()
        return hmac.compare_digest(expected, given.strip().lower())

    def accepts_pushes(self) -> bool:
        """Pushes count once the hub verified our request (a renewal under way too)."""
        return self.state == State.ACTIVE

    def record_push(self, accepted: bool, now=None) -> None:
        now = now or timezone.now()
        if accepted:
            Subscription.objects.filter(pk=self.pk).update(
                pushes=models.F("pushes") + 1, last_push_at=now
            )
        else:
            Subscription.objects.filter(pk=self.pk).update(
                refused_pushes=models.F("refused_pushes") + 1
            )

    # --- what we asked ----------------------------------------------------------

    def requested(self, mode: str, now=None) -> None:
        now = now or timezone.now()
        self.pending = mode
        self.requested_at = now
        self.next_attempt_at = now + timedelta(seconds=settings.WEBSUB_RETRY_SECONDS)
        if mode == Mode.SUBSCRIBE and self.state != State.ACTIVE:
            self.state = State.REQUESTED
        self.save()

    def failed(self, message: str, now=None) -> None:
        """The hub could not be reached or refused the request: retried later."""
        now = now or timezone.now()
        self.pending = ""
        self.last_error = str(message)[:500]
        self.next_attempt_at = now + timedelta(seconds=settings.WEBSUB_RETRY_SECONDS)
        if self.state != State.ACTIVE:
            self.state = State.FAILED
        self.save()

    def _mark_source(self) -> None:
        """The source knows until when it is pushed: its schedule and the alert caps
        read that (Source.pushed_until), polling slows down or resumes."""
        until = self.expires_at if self.state == State.ACTIVE else None
        Source.objects.filter(pk=self.source_id).update(pushed_until=until)
        if until is None:
            # Back to polling now, not at the end of a long safety-net interval.
            Source.objects.filter(pk=self.source_id, next_fetch_at__gt=timezone.now()).update(
                next_fetch_at=timezone.now()
            )
