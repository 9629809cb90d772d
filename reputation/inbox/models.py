"""Triage of mentions: tags, internal notes, and the journal of every change.

Other apps' models are referenced by name ("mentions.Mention"); the mentions' choices
are imported (mentions.models never imports this module: it reaches the journal through
the reverse relation, so there is no cycle).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.mentions.models import MentionStatus, Sentiment


class Tag(models.Model):
    """A label an organisation puts on mentions ("à rappeler", "presse"...)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("orgs.Organisation", models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)
    mentions = models.ManyToManyField("mentions.Mention", blank=True, related_name="tags")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_tag_name")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def name_rows(cls, mentions) -> None:
        """Put on each mention the names of its tags, in order (`tag_names`), for a
        page of rows: one query of two columns, where prefetching the tags cost a
        tenth of the inbox's CPU (a Tag built for each, the prefetch's machinery)."""
        names = {m.pk: [] for m in mentions}
        if names:
            pairs = (
                cls.mentions.through.objects.filter(mention_id__in=names)
                .order_by("tag__name", "tag_id")
                .values_list("mention_id", "tag__name")
            )
            for mention_id, name in pairs:
                names[mention_id].append(name)
        for m in mentions:
            m.tag_names = names[m.pk]


class Note(models.Model):
    """An internal note on a mention, seen only by the organisation's members."""

    mention = models.ForeignKey("mentions.Mention", models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class EventKind(models.TextChoices):
    STATUS = "status", _("Status")
    ASSIGNEE = "assignee", _("Assigned to")
    TAG = "tag", _("Tag added")
    UNTAG = "untag", _("Tag removed")
    NOTE = "note", _("Note")
    SENTIMENT = "sentiment", _("Tone")
    REPLY = "reply", _("Reply")


class MentionEvent(models.Model):
    """One change made by a person on a mention: who, when, what, old -> new."""

    mention = models.ForeignKey("mentions.Mention", models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    old = models.CharField(max_length=300, blank=True)
    new = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["mention", "-created"], name="event_mention_created")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.old} -> {self.new}"

    def _label(self, value: str) -> str:
        if self.kind == "sentiment" and value == "auto":
            return str(_("Automatic"))
        choices = {"status": MentionStatus, "sentiment": Sentiment}.get(self.kind)
        if choices is None or value not in choices.values:
            return value
        return choices(value).label

    @property
    def old_label(self) -> str:
        return self._label(self.old)

    @property
    def new_label(self) -> str:
        return self._label(self.new)

    @classmethod
    def record(cls, mention, user, kind: str, old="", new="") -> "MentionEvent":
        return cls.objects.create(
            mention=mention,
            user=user if user is not None and user.is_authenticated else None,
            kind=kind,
            old=str(old or "")[:300],
            new=str(new or "")[:300],
        )
