"""Tracked names: what an organisation watches for."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Organisation


class TrackedKind(models.TextChoices):
    BRAND = "brand", _("Brand or company")
    PERSON = "person", _("Person")
    PRODUCT = "product", _("Product")
    COMPETITOR = "competitor", _("Competitor")


def own_names(path: str = "") -> models.Q:
    """The one rule of "own names": every kind but competitors. Competitors are
    watched for the share of voice only; no total, list, alert or report of the
    organisation counts them. `path` leads to the tracked name ("tracked_name__")."""
    return ~models.Q(**{f"{path}kind": TrackedKind.COMPETITOR})


class TrackedNameQuerySet(models.QuerySet):
    """Bulk writes change matching too: they bump the matcher version like saves do."""

    def own(self):
        return self.filter(own_names())

    def competitors(self):
        return self.exclude(own_names())

    def update(self, **kwargs):
        orgs = set(self.values_list("organisation_id", flat=True))
        count = super().update(**kwargs)
        if count:
            MatcherVersion.bump(orgs)
        return count


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
    # Where the business is and its own site: they tell homonyms apart in the news
    # searches suggested for the name, and the site's feeds and reviews are suggested
    # (reputation/sources/suggestions.py). On the name, not the organisation: a
    # consultant's client may track several shops, and competitors have towns too.
    town = models.CharField(max_length=100, blank=True, default="")
    website = models.CharField(max_length=2000, blank=True, default="")
    sources = models.ManyToManyField(
        "monitoring.Source", blank=True, related_name="+", through="TrackedNameSource"
    )
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(auto_now=True)

    objects = TrackedNameQuerySet.as_manager()

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

    @property
    def is_competitor(self) -> bool:
        return self.kind == TrackedKind.COMPETITOR


class TrackedNameSource(models.Model):
    """A tracked name restricted to a source. Declared (not Django's automatic table)
    so that every deletion, queryset deletes included, sends the signals that move
    the matcher version."""

    trackedname = models.ForeignKey(TrackedName, models.CASCADE)
    source = models.ForeignKey("monitoring.Source", models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trackedname", "source"], name="unique_name_source")
        ]

    def __str__(self) -> str:
        return f"{self.trackedname_id} only in {self.source_id}"


class MatcherVersion(models.Model):
    """One counter, bumped in the same transaction as any change that affects matching.

    Workers compare it with the version their matcher was built from (one indexed
    read every few seconds) and rebuild when it moved. The bump is made by the
    models' own save/delete paths (reputation/names/signals.py), so no writer has to
    remember it.
    """

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"matcher version {self.value}"

    @classmethod
    def bump(cls, organisation_ids=()) -> None:
        """Something changed, in these organisations' names: workers rebuild their
        matchers (Organisation.matcher_version), and only theirs."""
        if organisation_ids:
            Organisation.objects.filter(pk__in=list(organisation_ids)).update(
                matcher_version=models.F("matcher_version") + 1
            )
        if not cls.objects.filter(pk=1).update(value=models.F("value") + 1):
            cls.objects.get_or_create(pk=1, defaults={"value": 1})

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0
