"""Sources, their polling state, and the items collected from them."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed")
    HTML = "html", _("Web page (CSS selectors)")
    FORUM = "forum", _("Forum thread")
    SEARCH = "search", _("Search or alert feed")


class SourceState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused after repeated errors")
    DISABLED = "disabled", _("Disabled")


class Source(models.Model):
    """A URL polled once, however many organisations follow it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Canonical URL: the identity of the source.
    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.FEED)
    title = models.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=2000, blank=True)
    # Kind-specific settings, e.g. CSS selectors for HTML pages, the preset of a search feed.
    config = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    state = models.CharField(max_length=16, choices=SourceState.choices, default=SourceState.ACTIVE)
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval = models.PositiveIntegerField(default=1800, help_text="seconds between polls")
    # Claimed by a conditional UPDATE so that two workers never poll it at once.
    lease_token = models.UUIDField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)

    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    error_count = models.PositiveIntegerField(default=0, help_text="consecutive errors")
    last_error = models.TextField(blank=True, help_text="shown to users")
    last_error_code = models.CharField(max_length=32, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_item_at = models.DateTimeField(null=True, blank=True, help_text="newest new item")
    items_last_poll = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["state", "next_fetch_at"], name="source_due")]

    def __str__(self) -> str:
        return self.title or self.url


class Follow(models.Model):
    """An organisation watches a source."""

    organisation = models.ForeignKey(
        "reputation.Organisation", models.CASCADE, related_name="follows"
    )
    source = models.ForeignKey(Source, models.CASCADE, related_name="follows")
    # Items published before this moment fill the history but do not alert.
    created = models.DateTimeField(default=timezone.now)
    # The organisation's own name for the source; empty: the source's title.
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source"], name="unique_follow")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} follows {self.source_id}"

    @property
    def display_name(self) -> str:
        return self.name or str(self.source)


class Item(models.Model):
    """One document (post, article, review), stored once however often it is seen."""

    source = models.ForeignKey(Source, models.CASCADE, related_name="items")
    url = models.URLField(max_length=2000, blank=True)
    # sha1 of the canonical URL / of the guid / of the normalised content: dedup keys.
    url_hash = models.CharField(max_length=40, blank=True, db_index=True)
    guid_hash = models.CharField(max_length=40)
    fingerprint = models.CharField(max_length=40, blank=True, db_index=True)
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateTimeField(db_index=True)
    # False when the source gave no date and `published` is the collection time.
    published_known = models.BooleanField(default=True)
    collected = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=8, blank=True)
    score = models.FloatField(default=0.0)
    # A review's stars, normalised to [0, 1] (rating / best), when the page has one.
    rating = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "guid_hash"], name="unique_item_guid"),
            models.UniqueConstraint(
                fields=["url_hash"], condition=~models.Q(url_hash=""), name="unique_item_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Sighting(models.Model):
    """The same item seen in another source (dedup across feeds keeps one Item)."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="sightings")
    source = models.ForeignKey(Source, models.CASCADE, related_name="sightings")
    guid_hash = models.CharField(max_length=40)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "guid_hash"], name="unique_sighting_guid"),
        ]

    def __str__(self) -> str:
        return f"item {self.item_id} in source {self.source_id}"


class PollLog(models.Model):
    """One poll of a source, for the health page (the last few are kept)."""

    source = models.ForeignKey(Source, models.CASCADE, related_name="polls")
    started = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    not_modified = models.BooleanField(default=False)
    items_found = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    mentions_new = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-started"]
        indexes = [models.Index(fields=["source", "-started"], name="poll_source_started")]

    def __str__(self) -> str:
        return f"poll of {self.source_id} at {self.started:%Y-%m-%d %H:%M}"
