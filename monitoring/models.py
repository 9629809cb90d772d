"""Sources, their polling state, and the items collected from them.

The models carry their behaviour (claiming, recording a poll's outcome, pausing,
resuming); the pipeline (monitoring/pipeline/) only sequences the stages.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring import crypto
from monitoring.pipeline import consumers, rawsql, schedule
from monitoring.pipeline.inserts import insert


class SourceKind(models.TextChoices):
    FEED = "feed", _("A website's news feed")
    HTML = "html", _("Web page (CSS selectors)")
    FORUM = "forum", _("Forum thread")
    SEARCH = "search", _("Search or alert feed")
    # A review platform read through its API (monitoring/connectors/), not a page.
    CONNECTOR = "connector", _("Review platform (connected)")


class SourceState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused after repeated errors")
    DISABLED = "disabled", _("Disabled")


def config_key(config: dict | None) -> str:
    """The identity of a source's reading recipe: "" for the automatic one."""
    if not config:
        return ""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(canonical.encode()).hexdigest()  # noqa: S324 (a key, not a secret)


def _unleased(now) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lt=now)


class SourceQuerySet(models.QuerySet):
    def due(self, now=None):
        """Active sources whose time has come, not leased, that somebody wants."""
        now = now or timezone.now()
        wanted = consumers.wanted_filter()
        qs = self.filter(state=SourceState.ACTIVE, next_fetch_at__lte=now).filter(_unleased(now))
        if wanted is not None:
            qs = qs.filter(wanted)
        return qs.order_by("next_fetch_at")

    def claim(self, ids, now=None) -> str:
        """Lease these sources to one new token; only the unleased ones are taken.

        A conditional UPDATE: two workers (or two beats) never hold the same source.
        """
        now = now or timezone.now()
        token = uuid.uuid4()
        self.filter(pk__in=list(ids)).filter(_unleased(now)).update(
            lease_token=token, leased_until=now + timedelta(seconds=settings.POLL_LEASE_SECONDS)
        )
        return str(token)

    def polled(self, now=None):
        """Sources no hub pushes to now: polling is all they have (WebSub aside)."""
        return self.exclude(pushed_until__gt=now or timezone.now())

    def renew(self, token: str, now=None) -> int:
        """Restart the lease of the sources still leased to `token`, when its task starts.

        A batch may wait in the queue for most of its lease: had it kept the lease of
        its dispatch, the lease could run out while the task still polls, and the next
        dispatch would claim and poll again the sources not reached yet (`bench round`
        found 7 polled twice in a round of 2,500 that outlasted the lease). Restarted,
        the lease outlasts the task, which is killed at CELERY_TASK_TIME_LIMIT. A
        conditional UPDATE: a source another dispatch claimed meanwhile stays its.
        """
        now = now or timezone.now()
        lease = timedelta(seconds=settings.POLL_LEASE_SECONDS)
        return self.filter(lease_token=token, leased_until__gt=now).update(leased_until=now + lease)

    def leased_to(self, token: str, now=None):
        return self.filter(lease_token=token, leased_until__gt=now or timezone.now())


class Source(models.Model):
    """A URL read with one recipe, polled once however many organisations follow it.

    Its identity is the canonical URL and the reading recipe (`config`: CSS selectors,
    following links...): two organisations reading one page with different selectors
    have two sources, so that nobody's settings change what another receives.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.URLField(max_length=2000)
    kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.FEED)
    title = models.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=2000, blank=True)
    # How to read it: CSS selectors for HTML pages, follow_links... (never who asked).
    config = models.JSONField(default=dict, blank=True)
    config_key = models.CharField(max_length=40, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now)

    state = models.CharField(max_length=16, choices=SourceState.choices, default=SourceState.ACTIVE)
    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval = models.PositiveIntegerField(
        default=schedule.default_interval, help_text="seconds between polls"
    )
    # Longest interval allowed whatever the source's rhythm (set by whoever needs the
    # source watched closely, e.g. instant alerts); null: POLL_MAX_INTERVAL.
    max_interval = models.PositiveIntegerField(null=True, blank=True)
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
    # WebSub (monitoring/websub): the hub the feed names, the topic (its rel="self"),
    # and until when a verified subscription has the hub push new items to us.
    hub = models.URLField(max_length=2000, blank=True)
    topic = models.URLField(max_length=2000, blank=True)
    pushed_until = models.DateTimeField(null=True, blank=True)
    items_last_poll = models.PositiveIntegerField(default=0)

    objects = SourceQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["state", "next_fetch_at"], name="source_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["url", "kind", "config_key"], name="unique_source_recipe"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def save(self, *args, **kwargs):
        self.config_key = config_key(self.config)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "config" in update_fields:
            kwargs["update_fields"] = {*update_fields, "config_key"}
        super().save(*args, **kwargs)

    # --- the outcome of a poll -------------------------------------------------------

    def record_success(self, *, status, headers, items_found, items_new, published, not_modified):
        """A poll went through: adapt the interval, clear the errors."""
        now = timezone.now()
        self.interval = schedule.interval_after_success(
            self.interval, items_new, published, cap=self.max_interval
        )
        if self.is_pushed(now):
            # The hub tells us of new items: polling is only the safety net, at the
            # longest interval (WEBSUB_POLL_INTERVAL), never stopped.
            self.interval = schedule.clamp(settings.WEBSUB_POLL_INTERVAL)
        self.next_fetch_at = now + schedule.jitter(self.interval)
        self.last_fetch_at = self.last_success_at = now
        self.last_status = status
        self.etag = headers.get("etag", "")[:500]
        self.last_modified = headers.get("last-modified", "")[:100]
        self.error_count = 0
        self.last_error = self.last_error_code = ""
        if not not_modified:
            self.items_last_poll = items_found
        if items_new:
            self.last_item_at = now
        # Once per poll: written without the ORM's compiler, which cost more than the
        # UPDATE (rawsql.py); Source.save only adds config_key, not written here.
        rawsql.update(
            self,
            [
                "title",
                "site_url",
                "hub",
                "topic",
                "interval",
                "next_fetch_at",
                "last_fetch_at",
                "last_success_at",
                "last_status",
                "etag",
                "last_modified",
                "error_count",
                "last_error",
                "last_error_code",
                "items_last_poll",
                "last_item_at",
            ],
        )

    def poll_later(self, seconds: int) -> None:
        """Its host asked us to wait (busy, Crawl-delay): not an error, no backoff."""
        self.next_fetch_at = timezone.now() + timedelta(seconds=seconds)
        self.save(update_fields=["next_fetch_at"])

    def record_error(self, code: str, message: str, status=None, retry_after=None) -> None:
        """A poll failed: back off, and pause after too many failures in a row."""
        now = timezone.now()
        self.error_count += 1
        delay = schedule.delay_after_error(self.interval, self.error_count, retry_after)
        self.next_fetch_at = now + timedelta(seconds=delay)
        self.last_fetch_at = self.last_error_at = now
        self.last_status = status
        self.last_error = str(message)[:2000]
        self.last_error_code = (code or "error")[:32]
        # The errors began after the last success (or since it was added).
        failing_since = self.last_success_at or self.created
        if schedule.should_pause(self.error_count, now - failing_since):
            self.state = SourceState.PAUSED
        self.save(
            update_fields=[
                "error_count",
                "next_fetch_at",
                "last_fetch_at",
                "last_error_at",
                "last_status",
                "last_error",
                "last_error_code",
                "state",
            ]
        )

    def is_pushed(self, now=None) -> bool:
        return bool(self.pushed_until and self.pushed_until > (now or timezone.now()))

    def pause(self) -> None:
        self.state = SourceState.PAUSED
        self.save(update_fields=["state"])

    def resume(self) -> None:
        """Poll a paused source again, from now, with its error count cleared."""
        self.state = SourceState.ACTIVE
        self.error_count = 0
        self.next_fetch_at = timezone.now()
        self.save(update_fields=["state", "error_count", "next_fetch_at"])

    def poll_soon(self) -> bool:
        """Ask for a poll at the next dispatch; False when the source is paused."""
        if self.state != SourceState.ACTIVE:
            return False
        self.next_fetch_at = timezone.now()
        self.save(update_fields=["next_fetch_at"])
        return True

    def release(self, token: str) -> None:
        """Give the lease back, if it is still ours (once per poll: rawsql.py)."""
        key, lease = rawsql.column(Source, "id"), rawsql.column(Source, "lease_token")
        rawsql.update_where(
            Source,
            {"lease_token": None, "leased_until": None},
            f"{key} = %s AND {lease} = %s",
            [self.pk, rawsql.param(Source, "lease_token", token)],
        )


class Item(models.Model):
    """One document (post, article, review), stored once however often it is seen.

    It only saves work: fetched, matched, its language detected and its words
    scored once. What an organisation sees (address, date, rating, author, words
    when they differ) comes from the sighting of the source it follows, never from
    here: the first source to show an item must not speak for the others.
    """

    # No index of its own: unique_item_guid (source, guid_hash) starts with it.
    source = models.ForeignKey(Source, models.CASCADE, related_name="items", db_index=False)
    url = models.URLField(max_length=2000, blank=True)
    # sha1 of the canonical URL / of the guid / of the normalised content: dedup keys.
    # Looked up by the partial unique index unique_item_url (PostgreSQL uses it for
    # `url_hash IN (...)`): a second, plain index only cost every insert (issue 22).
    url_hash = models.CharField(max_length=40, blank=True)
    guid_hash = models.CharField(max_length=40)
    # Indexed in Meta: db_index on a CharField adds a LIKE (pattern_ops) index on
    # PostgreSQL, which no query needs and every insert paid for (issue 22).
    fingerprint = models.CharField(max_length=40, blank=True)
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)
    author = models.CharField(max_length=300, blank=True)
    # The first copy's date: only bounds which later copies are the same story
    # (store.SYNDICATION_WINDOW); each sighting keeps its own.
    published = models.DateTimeField(db_index=True)
    # False when the source gave no date and `published` is the collection time.
    published_known = models.BooleanField(default=True)
    collected = models.DateTimeField(default=timezone.now)
    # Detected once for the words stored here, with `declared_language` as the hint
    # (sightings declaring another language, or with words of their own, get theirs).
    language = models.CharField(max_length=8, blank=True)
    declared_language = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "guid_hash"], name="unique_item_guid"),
            models.UniqueConstraint(
                fields=["url_hash"], condition=~models.Q(url_hash=""), name="unique_item_url"
            ),
        ]
        indexes = [models.Index(fields=["fingerprint"], name="item_fingerprint")]

    def __str__(self) -> str:
        return self.title or self.url

    def document(self) -> str:
        return document(self.title, self.text)


def document(title: str, text: str) -> str:
    """The text matched and scored: title then body (once, when the body repeats it)."""
    title, text = (title or "").strip(), (text or "").strip()
    if not title or text.startswith(title.rstrip(".…")):
        return text or title
    return f"{title}\n{text}"


class Sighting(models.Model):
    """An item as one source showed it (dedup across sources keeps one Item).

    What a source said is what its followers see, and all of it is kept here: its
    address, date, rating, declared language and author, and its title and text when
    they differ from the stored item's (`own_content`; identical words are stored
    once, on the item). So one source can never put words, a date, a tone or a link
    in another's items.
    """

    item = models.ForeignKey(Item, models.CASCADE, related_name="sightings")
    source = models.ForeignKey(Source, models.CASCADE, related_name="sightings")
    guid_hash = models.CharField(max_length=40)
    created = models.DateTimeField(default=timezone.now)
    url = models.URLField(max_length=2000, blank=True)
    # The source's date; when it gave none, the day this source first showed it
    # (`published_known` False), never another source's date.
    published = models.DateTimeField(default=timezone.now)
    published_known = models.BooleanField(default=True)
    # A review's stars, normalised to [0, 1] (rating / best), when the page has one.
    rating = models.FloatField(null=True, blank=True)
    declared_language = models.CharField(max_length=8, blank=True)
    author = models.CharField(max_length=300, blank=True)
    own_content = models.BooleanField(default=False)
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "guid_hash"], name="unique_sighting_guid"),
        ]
        indexes = [models.Index(fields=["source", "-published"], name="sighting_source_published")]

    def __str__(self) -> str:
        return f"item {self.item_id} in source {self.source_id}"

    @property
    def shown_title(self) -> str:
        return self.title if self.own_content else self.item.title

    @property
    def shown_text(self) -> str:
        return self.text if self.own_content else self.item.text

    def document(self) -> str:
        return document(self.shown_title, self.shown_text)


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

    @classmethod
    def record(cls, source: Source, **fields) -> "PollLog":
        """Log one poll; once in TRIM_EVERY, drop all but the newest KEEP of the source.

        Trimmed by the new row's id rather than at every poll: a DELETE per poll was a
        twentieth of the polling time, for rows nobody reads.
        """
        row = cls(source_id=source.pk, **fields)
        insert([row])  # once per poll: without the ORM's compiler (inserts.py)
        if row.pk % cls.TRIM_EVERY == 0:
            keep = cls.objects.filter(source=source).order_by("-started").values("pk")
            cls.objects.filter(source=source).exclude(pk__in=keep[: cls.KEEP]).delete()
        return row


PollLog.KEEP = 20
PollLog.TRIM_EVERY = 8


class ConnectorAccount(models.Model):
    """The credentials a review platform gave for one business (a Google location, a
    Trustpilot business unit, a Tripadvisor location), referenced by a connector
    source's config ({"account": pk}). Who connected it is the product's business (its
    Follow): the collector knows no organisation.

    Tokens and keys are stored encrypted (monitoring/crypto.py) and never leave this
    row but towards the platform: no page, log or repr shows them.
    """

    platform = models.CharField(max_length=32)
    # The platform's own name of the business: "accounts/1/locations/2" on Google, a
    # business unit id on Trustpilot, a location id on Tripadvisor.
    account_id = models.CharField(max_length=300)
    # The business's name as the platform shows it: the reviews' title, so that the
    # tracked name matches reviews that never repeat it.
    label = models.CharField(max_length=300, blank=True)
    secrets = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    # Set when the platform refused our credentials (revoked, expired): reconnect.
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.platform} {self.label or self.account_id}"

    def __repr__(self) -> str:  # never the secrets, even in a traceback
        return f"<ConnectorAccount {self.pk} {self.platform}>"

    def get_secrets(self) -> dict:
        return crypto.decrypt(self.secrets)

    def set_secrets(self, **values) -> None:
        """Merge these values into the stored secrets and save them."""
        self.secrets = crypto.encrypt({**self.get_secrets(), **values})
        self.revoked_at = None
        if self.pk:
            self.save(update_fields=["secrets", "revoked_at"])

    def mark_revoked(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
