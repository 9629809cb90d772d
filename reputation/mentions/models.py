"""Mentions: an item that speaks of a tracked name, as one organisation sees it."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.dashboard import rollups
from reputation.inbox.priority import compute_priority
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation

# Score given to a correction that contradicts the automatic label; one that agrees
# with it keeps the automatic score, which also carries its strength.
CORRECTED_SCORE = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class MentionStatus(models.TextChoices):
    NEW = "new", _("New")
    TODO = "todo", _("To handle")
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

    # What the organisation's own source said (never another source's copy).
    title = models.TextField(blank=True)
    author = models.CharField(max_length=300, blank=True)
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
    # Where the organisation answered (status "answered").
    reply_url = models.URLField(max_length=2000, blank=True)
    # "What to answer first", stored so that the inbox pages through it by keyset:
    # see reputation/inbox/priority.py.
    priority = models.BigIntegerField(default=0)

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
            # The inbox's keyset orders (reputation/inbox/pages.py) and frequent filters.
            models.Index(fields=["organisation", "-published", "-id"], name="mention_org_pub_id"),
            models.Index(fields=["organisation", "-priority", "-id"], name="mention_org_priority"),
            models.Index(
                fields=["organisation", "sentiment", "-published"], name="mention_org_sentiment"
            ),
            models.Index(
                fields=["organisation", "assigned_to", "-published"], name="mention_org_assignee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracked_name} in {self.item_id}"

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            self.priority = compute_priority(self)
        super().save(*args, **kwargs)

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
        self.priority = compute_priority(self)
        return [*fields, "priority"]

    def correct(self, user, label: str) -> None:
        """A person sets the sentiment ("auto" gives it back to the scorer), recorded
        as a MentionEvent (who, when, old -> new).

        Re-scoring never overwrites a correction (set_auto_sentiment). The
        dashboard's daily counts move with it, in the same transaction.
        """
        with transaction.atomic():
            # The stored sentiment, under a row lock: two people correcting the same
            # mention at once must move its counts once, from what it really was.
            old = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("sentiment", flat=True)
                .first()
            ) or self.sentiment
            self._correct(user, label, old)
            rollups.move(self, old, self.sentiment)

    def _correct(self, user, label: str, old: str) -> None:
        if label == "auto":
            self.sentiment, self.score = self.auto_sentiment, self.auto_score
            self.corrected_by, self.corrected_at = None, None
        else:
            if label not in Sentiment.values:
                raise ValueError(f"unknown sentiment {label!r}")
            self.sentiment = label
            agrees = self.auto_sentiment == label
            self.score = self.auto_score if agrees else CORRECTED_SCORE[label]
            self.corrected_by, self.corrected_at = user, timezone.now()
            self.needs_review = False  # a person has looked at it
        self.priority = compute_priority(self)
        fields = ["sentiment", "score", "corrected_by", "corrected_at", "needs_review", "priority"]
        self.save(update_fields=fields)
        # The journal is the inbox's model (inbox.MentionEvent), reached through its
        # reverse relation: the inbox imports this module, so this one does not import it.
        self.events.model.record(self, user, "sentiment", old, label)

    def to_dict(self) -> dict:
        """The mention as plain data: exports now, the API later. Needs item,
        tracked_name and source loaded (select_related)."""
        return {
            "id": str(self.code),
            "url": self.item.url,
            "title": self.title,
            "tracked_name": self.tracked_name.label,
            "sentiment": self.sentiment,
            "score": round(self.score, 4),
            "confidence": round(self.confidence, 4),
            "corrected": self.corrected,
            "needs_review": self.needs_review,
            "aspects": self.aspects,
            "language": self.language,
            "published": self.published.isoformat(),
            "collected": self.item.collected.isoformat(),
            "author": self.author,
            "source": self.source.url if self.source else "",
            "snippet": self.snippet,
            "status": self.status,
        }


class HistoryScan(models.Model):
    """A search of the items already collected, for a new name or a new follow."""

    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    STATES = [
        (PENDING, _("Waiting")),
        (RUNNING, _("Running")),
        (DONE, _("Done")),
        (FAILED, _("Failed")),
    ]

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    tracked_name = models.ForeignKey(
        TrackedName, models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        "monitoring.Source", models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"history scan {self.pk} of {self.organisation_id} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class ToneAdapter(models.Model):
    """What one organisation's own labels taught the scorer (monitoring.sentiment.adapt):
    its members' corrections and the stars of reviews from its sources. Used for its
    mentions only; rebuilt in the background after a correction."""

    organisation = models.OneToOneField(Organisation, models.CASCADE, related_name="+")
    data = models.TextField(blank=True)  # Adapter.to_json()
    examples = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"tone adapter of {self.organisation_id} ({self.examples} examples)"
