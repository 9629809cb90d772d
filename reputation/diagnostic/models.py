"""One diagnostic asked by a visitor: what they typed, its progress and its result.

Nothing here is an Item or a Mention of any organisation: the result is a small JSON
document of its own, deleted with the row after RETENTION (purge task) unless the
visitor signs up (then it belongs to their organisation).
"""

import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Organisation

# A diagnostic nobody signed up from is deleted after this long.
RETENTION = timedelta(hours=24)


class DiagnosticQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Past their expiry and kept by no organisation: what the purge deletes."""
        return self.filter(organisation=None, expires__lte=now or timezone.now())


class Diagnostic(models.Model):
    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    STATES = [
        (PENDING, _("waiting")),
        (RUNNING, _("running")),
        (DONE, _("done")),
        (FAILED, _("failed")),
    ]

    # The public address of the result: unguessable, the only handle a visitor has.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    town = models.CharField(max_length=100)
    website = models.URLField(max_length=500, blank=True)
    language = models.CharField(max_length=8, default="fr")
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=32, blank=True)  # a key of progress.STEPS
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField()
    # Set when the visitor signed up from it: then it is theirs and never purged.
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["expires"], name="diagnostic_expires")]

    def __str__(self) -> str:
        return f"{self.name} ({self.town})"

    def save(self, *args, **kwargs):
        if self.expires is None:
            self.expires = (self.created or timezone.now()) + RETENTION
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return self.organisation_id is None and self.expires <= timezone.now()

    @property
    def is_finished(self) -> bool:
        return self.state in (self.DONE, self.FAILED)

    def report(self, state: str, progress: int, step: str = "") -> None:
        """Record progress; the result page polls it."""
        self.state, self.progress, self.step = state, max(0, min(100, progress)), step
        Diagnostic.objects.filter(pk=self.pk).update(
            state=self.state, progress=self.progress, step=step
        )
