"""The organisation domain: who is watched, by whom, and what was said about them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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


class TrackedKind(models.TextChoices):
    BRAND = "brand", _("Brand or company")
    PERSON = "person", _("Person")
    PRODUCT = "product", _("Product")
    COMPETITOR = "competitor", _("Competitor")


class TrackedName(models.Model):
    """A query: the name or any alias, with context terms, exclusions and filters."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="tracked_names")
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=TrackedKind.choices, default=TrackedKind.BRAND)
    # Lists of strings. JSON keeps them in one row on SQLite and PostgreSQL alike.
    aliases = models.JSONField(default=list, blank=True)
    # At least one of these must also appear in the item (tells the bakery from any Dupont).
    context_terms = models.JSONField(default=list, blank=True)
    exclude_terms = models.JSONField(default=list, blank=True)
    # Empty means every language / every followed source.
    languages = models.JSONField(default=list, blank=True)
    sources = models.ManyToManyField("monitoring.Source", blank=True, related_name="+")
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)
    # Bumped on every save: workers rebuild their matcher when it changes.
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="unique_tracked_label")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def names(self) -> list[str]:
        return [self.label, *[a for a in self.aliases if a]]


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class MentionStatus(models.TextChoices):
    NEW = "new", _("New")
    HANDLED = "handled", _("Handled")
    ANSWERED = "answered", _("Answered")
    IGNORED = "ignored", _("Ignored")


class Mention(models.Model):
    """An item that mentions one of an organisation's tracked names.

    `sentiment`/`score` are the effective values used by every statistic and alert:
    the automatic ones (`auto_*`) unless a person corrected them (`corrected_by`).
    Re-scoring only ever writes `auto_*`, and the effective values when uncorrected.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="mentions")
    tracked_name = models.ForeignKey(TrackedName, models.CASCADE, related_name="mentions")
    item = models.ForeignKey("monitoring.Item", models.CASCADE, related_name="mentions")
    # The followed source through which the organisation saw the item.
    source = models.ForeignKey("monitoring.Source", models.SET_NULL, null=True, related_name="+")
    # Copied from the item so that dashboards filter and sort without a join.
    published = models.DateTimeField(db_index=True)
    created = models.DateTimeField(default=timezone.now)

    snippet = models.TextField(blank=True)
    # [[start, end], ...] offsets of the matched name(s) inside `snippet`.
    highlights = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, blank=True)

    sentiment = models.CharField(
        max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL, db_index=True
    )
    score = models.FloatField(default=0.0)
    confidence = models.FloatField(default=0.0)
    auto_sentiment = models.CharField(
        max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    auto_score = models.FloatField(default=0.0)
    needs_review = models.BooleanField(default=False)
    aspects = models.JSONField(default=list, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(
        max_length=16, choices=MentionStatus.choices, default=MentionStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # False for items published before the organisation followed the source: they fill
    # the history but must not fire alerts.
    alertable = models.BooleanField(default=True)

    class Meta:
        ordering = ["-published"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tracked_name", "item"], name="unique_mention"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-published"], name="mention_org_published"),
            models.Index(fields=["organisation", "status"], name="mention_org_status"),
            # The portfolio counts each client's unhandled negative mentions: few rows.
            models.Index(
                fields=["organisation"],
                condition=models.Q(status="new", sentiment="negative"),
                name="mention_unhandled_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracked_name} in {self.item_id}"

    @property
    def corrected(self) -> bool:
        return self.corrected_by_id is not None or self.corrected_at is not None

    def set_auto_sentiment(self, label: str, score: float, confidence: float) -> list[str]:
        """Record an automatic score; returns the fields to save."""
        self.auto_sentiment, self.auto_score, self.confidence = label, score, confidence
        fields = ["auto_sentiment", "auto_score", "confidence"]
        if not self.corrected:
            self.sentiment, self.score = label, score
            fields += ["sentiment", "score"]
        return fields


# The dashboard's rollups live with the dashboard; importable from here like every model.
from reputation.dashboard.models import DailyAspect, DailyAuthor, DailyCount, DailySource  # noqa: E402

__all__ = [
    "DailyAspect",
    "DailyAuthor",
    "DailyCount",
    "DailySource",
    "Membership",
    "Mention",
    "MentionStatus",
    "Organisation",
    "Role",
    "Sentiment",
    "TrackedKind",
    "TrackedName",
]
