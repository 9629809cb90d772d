"""Adding and following sources: one Source row per canonical URL, shared."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from monitoring.canonical import canonical_url
from monitoring.models import Follow, Source, SourceKind, SourceState


class InvalidSource(ValueError):
    pass


def normalise_source_url(url: str) -> str:
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidSource("only http:// and https:// addresses can be watched")
    if len(url) > 2000:
        raise InvalidSource("this address is too long")
    canonical = canonical_url(url)
    if not canonical:
        raise InvalidSource("this address is not valid")
    return canonical


def follow_source(
    organisation, url: str, kind: str = SourceKind.FEED, config: dict | None = None
) -> tuple[Source, bool]:
    """Follow the source at `url` (created if new); returns (source, newly followed).

    The source is shared: if another organisation already follows it, this one joins
    it, and the poll stays one. A source paused after errors is re-activated, since
    someone just asked for it again.
    """
    if kind not in SourceKind.values:
        raise InvalidSource(f"unknown source kind {kind!r}")
    url = normalise_source_url(url)
    try:
        with transaction.atomic():
            source, created = Source.objects.get_or_create(
                url=url, defaults={"kind": kind, "config": config or {}}
            )
    except IntegrityError:
        source, created = Source.objects.get(url=url), False
    if not created and source.state == SourceState.PAUSED:
        resume(source)
    if not created and config and not source.config:
        source.config = config
        source.save(update_fields=["config"])
    _, followed = Follow.objects.get_or_create(organisation=organisation, source=source)
    return source, followed


def resume(source: Source) -> None:
    """Poll a paused source again, from now, with its error count cleared."""
    source.state = SourceState.ACTIVE
    source.error_count = 0
    source.next_fetch_at = timezone.now()
    source.save(update_fields=["state", "error_count", "next_fetch_at"])


def unfollow_source(organisation, source: Source) -> None:
    Follow.objects.filter(organisation=organisation, source=source).delete()
