"""Mentions: an item that speaks of a tracked name, as one organisation sees it."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.dashboard import rollups
from reputation.inbox.priority import PRIORITY_INPUTS, compute_priority, evidence_weight
from reputation.mentions import relearn, signals
from reputation.names.models import TrackedName, own_names
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


# Statuses of a mention nobody has dealt with yet ("untreated negatives").
UNTREATED = (MentionStatus.NEW, MentionStatus.TODO)


SENTIMENT_LABELS = dict(Sentiment.choices)
STATUS_LABELS = dict(MentionStatus.choices)


class MentionQuerySet(models.QuerySet):
    def own(self):
        """Mentions of the organisation's own names: what every list, total, alert
        and report counts (competitors only appear in the share of voice)."""
        return self.filter(own_names("tracked_name__"))

    def competitors(self):
        return self.exclude(own_names("tracked_name__"))

    def counted(self):
        """The mentions the dashboard's daily figures count: all but the undated
        backlog of a source's first poll (the one rule: dashboard.rollups.in_figures)."""
        return self.exclude(published_known=False, alertable=False)

    def untreated(self):
        """Nobody has dealt with them yet: new, or marked to handle."""
        return self.filter(status__in=UNTREATED)

    def correct(self, user, label: str) -> int:
        """The bulk form of Mention.correct: each mention corrected exactly as one
        alone would be (rollups, journal, priority), each organisation's tone learnt
        again once. Returns how many changed."""
        changed, orgs = 0, set()
        with transaction.atomic():
            for mention in self.select_related("source").order_by("pk"):
                if mention._correct(user, label):
                    changed += 1
                    orgs.add(mention.organisation_id)
            for org_id in sorted(orgs):
                relearn.schedule(org_id)
                signals.triaged.send(Mention, organisation_id=org_id)
        return changed


class Mention(models.Model):
    """An item that mentions one of an organisation's tracked names.

    `sentiment`/`score` are the effective values used by every statistic and alert:
    the automatic ones (`auto_*`) unless a person corrected them (`corrected_by`).
    Re-scoring only ever writes `auto_*`, and the effective values when uncorrected.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: unique_mention and the Meta indexes all start with it.
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="mentions", db_index=False
    )
    tracked_name = models.ForeignKey(TrackedName, models.CASCADE, related_name="mentions")
    item = models.ForeignKey("monitoring.Item", models.CASCADE, related_name="mentions")
    # The followed source through which the organisation saw the item.
    source = models.ForeignKey("monitoring.Source", models.SET_NULL, null=True, related_name="+")
    # What the organisation's own source said (its sighting), never another source's
    # copy of the shared item: every page, email, export and statistic reads these.
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateTimeField(db_index=True)
    # False: the source gave no date and `published` is the day it was first seen.
    published_known = models.BooleanField(default=True)
    # A review's stars in [0, 1], when the source gave some: they set the tone.
    rating = models.FloatField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
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
    # When and by whom it was marked answered (set_status); cleared if it is not
    # answered any more. Time to answer = answered_at - published (replies/figures.py).
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "What to answer first", stored so that the inbox pages through it by keyset:
    # see reputation/inbox/priority.py.
    priority = models.BigIntegerField(default=0)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["-published"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tracked_name", "item"], name="unique_mention"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="mention_org_status"),
            # The portfolio counts each client's unhandled negative mentions: few rows.
            models.Index(
                fields=["organisation"],
                condition=models.Q(status="new", sentiment="negative"),
                name="mention_unhandled_negative",
            ),
            # The inbox's keyset orders (reputation/inbox/pages.py) and frequent filters;
            # (organisation, -published, -id) also serves (organisation, -published).
            models.Index(fields=["organisation", "-published", "-id"], name="mention_org_pub_id"),
            models.Index(fields=["organisation", "-priority", "-id"], name="mention_org_priority"),
            # The name too (PostgreSQL's INCLUDE): the inbox counts the mentions of one
            # name and tone from this index alone, never reading the rows (47 -> 7 ms
            # for 10,000 of a million).
            models.Index(
                fields=["organisation", "sentiment", "-published"],
                include=["tracked_name"],
                name="mention_org_sentiment_name",
            ),
            models.Index(
                fields=["organisation", "assigned_to", "-published"], name="mention_org_assignee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracked_name} in {self.item_id}"

    def save(self, *args, **kwargs):
        # The priority follows its inputs, whoever changes them (inbox/priority.py).
        fields = kwargs.get("update_fields")
        if fields is None or PRIORITY_INPUTS.intersection(fields):
            self.priority = compute_priority(self)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "priority"}
        super().save(*args, **kwargs)

    # Django's get_FOO_display builds a dict of the field's choices at every call (two
    # per row, fifty rows a page of the inbox): the same labels from dicts made once.
    def get_sentiment_display(self) -> str:
        return str(SENTIMENT_LABELS.get(self.sentiment, self.sentiment))

    def get_status_display(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def source_weight(self) -> float:
        """How much the mention weighs as evidence (0 to 1), read by the alerts'
        severity and the inbox's priority alike (monitoring/sources/kinds.py)."""
        return evidence_weight(self)

    @property
    def corrected(self) -> bool:
        return self.corrected_by_id is not None or self.corrected_at is not None

    def set_auto_sentiment(self, label: str, score: float, confidence: float) -> list[str]:
        """Record an automatic score; returns the fields to save (with bulk_update,
        which skips save(): the priority is computed here)."""
        self.auto_sentiment, self.auto_score, self.confidence = label, score, confidence
        fields = ["auto_sentiment", "auto_score", "confidence"]
        if not self.corrected:
            self.sentiment, self.score = label, score
            fields += ["sentiment", "score"]
        self.priority = compute_priority(self)
        return [*fields, "priority"]

    def set_status(self, user, status: str, reply_url: str = "") -> bool:
        """Change the status (and where it was answered), journaled; returns whether
        anything changed. Marking it answered records when and by whom (once: a
        later change of the reply's address keeps the first answer's time)."""
        reply_url = reply_url if status == MentionStatus.ANSWERED else self.reply_url
        if status == self.status and reply_url == self.reply_url:
            return False
        old_status, old_reply = self.status, self.reply_url
        self.status, self.reply_url = status, reply_url
        if status == MentionStatus.ANSWERED and old_status != status:
            self.answered_at = timezone.now()
            self.answered_by = user if user is not None and user.is_authenticated else None
        elif status != MentionStatus.ANSWERED:
            self.answered_at, self.answered_by = None, None
        fields = ["status", "reply_url", "answered_at", "answered_by"]
        self.save(update_fields=fields)
        if old_status != status:
            self.events.model.record(self, user, "status", old_status, status)
        if old_reply != reply_url:
            self.events.model.record(self, user, "reply", old_reply, reply_url)
        signals.triaged.send(Mention, organisation_id=self.organisation_id)
        return True

    def correct(self, user, label: str) -> bool:
        """A person sets the sentiment ("auto" gives it back to the scorer).

        Everything a correction implies happens here, for one mention as for many
        (MentionQuerySet.correct): the dashboard's daily counts move in the same
        transaction, a MentionEvent records who, when and old -> new, the priority
        follows, and the organisation's tone is learnt again once committed.
        Re-scoring never overwrites a correction (set_auto_sentiment). Returns
        whether anything changed.
        """
        with transaction.atomic():
            changed = self._correct(user, label)
            if changed:
                relearn.schedule(self.organisation_id)
                signals.triaged.send(Mention, organisation_id=self.organisation_id)
        return changed

    def _correct(self, user, label: str) -> bool:
        if label != "auto" and label not in Sentiment.values:
            raise ValueError(f"unknown sentiment {label!r}")
        # The stored state, under a row lock: two people correcting the same mention
        # at once must move its counts once, from what it really was.
        row = (
            type(self)
            .objects.select_for_update()
            .filter(pk=self.pk)
            .values_list("sentiment", "corrected_at")
            .first()
        )
        old, corrected_at = row if row else (self.sentiment, self.corrected_at)
        corrected = corrected_at is not None
        if (label == "auto" and not corrected) or (label == old and corrected):
            return False
        if label == "auto":
            self.sentiment, self.score = self.auto_sentiment, self.auto_score
            self.corrected_by, self.corrected_at = None, None
        else:
            self.sentiment = label
            agrees = self.auto_sentiment == label
            self.score = self.auto_score if agrees else CORRECTED_SCORE[label]
            self.corrected_by, self.corrected_at = user, timezone.now()
            self.needs_review = False  # a person has looked at it
        fields = ["sentiment", "score", "corrected_by", "corrected_at", "needs_review"]
        self.save(update_fields=fields)
        # The journal is the inbox's model (inbox.MentionEvent), reached through its
        # reverse relation: the inbox imports this module, so this one does not import it.
        self.events.model.record(self, user, "sentiment", old, label)
        rollups.move(self, old, self.sentiment)
        return True

    def to_dict(self) -> dict:
        """The mention as plain data: exports now, the API later. Needs tracked_name
        and source loaded (select_related)."""
        return {
            "id": str(self.code),
            "url": self.url,
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
            "published_known": self.published_known,
            "collected": self.created.isoformat(),
            "author": self.author,
            "source": self.source.url if self.source else "",
            "snippet": self.snippet,
            "status": self.status,
        }


class HistoryScan(models.Model):
    """A search of the items already collected, for a new name or a new follow."""

    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    REPLACED = "replaced"  # a newer scan of the same name or source does it
    STATES = [
        (PENDING, _("Waiting")),
        (RUNNING, _("Running")),
        (DONE, _("Done")),
        (FAILED, _("Failed")),
        (REPLACED, _("Replaced by a newer one")),
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
