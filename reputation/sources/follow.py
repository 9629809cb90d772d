"""Following sources: an organisation reads what a collected source brings.

One Source row per address and reading recipe, shared by every organisation that
reads it the same way, so the poll stays one. What is the organisation's own (its
name for the source, the search it built it from) lives on its Follow.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from monitoring.models import Source, SourceKind, SourceState, config_key
from monitoring.parse.canonical import canonical_url
from monitoring.types import SourceError
from reputation.mentions import history
from reputation.security.limits import check_can_follow
from reputation.sources.models import Follow


class InvalidSource(SourceError):
    def __init__(self, message):
        super().__init__("invalid_source", message)


def normalise_source_url(url: str) -> str:
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidSource(_("only http:// and https:// addresses can be watched"))
    if len(url) > 2000:
        raise InvalidSource(_("this address is too long"))
    canonical = canonical_url(url)
    if not canonical:  # "http://[::1" or a port out of range
        raise InvalidSource(_("this address is not valid"))
    return canonical


def follow_source(
    organisation,
    url: str,
    kind: str = SourceKind.FEED,
    config: dict | None = None,
    *,
    preset: str = "",
    tracked=None,
) -> tuple[Source, bool]:
    """Follow the source at `url` read with `config` (created if new); returns
    (source, newly followed).

    A source paused after errors is re-activated, since someone just asked for it.
    """
    if kind not in SourceKind.values:
        raise InvalidSource(_("unknown source kind"))
    url = normalise_source_url(url)
    config = config or {}
    key = config_key(config)
    try:
        with transaction.atomic():
            source, created = Source.objects.get_or_create(
                url=url, kind=kind, config_key=key, defaults={"config": config}
            )
    except IntegrityError:
        source, created = Source.objects.get(url=url, kind=kind, config_key=key), False
    if not created and source.state == SourceState.PAUSED:
        source.resume()
    follow, followed = Follow.objects.get_or_create(
        organisation=organisation,
        source=source,
        defaults={"preset": preset, "tracked_name": tracked},
    )
    return source, followed


def follow_within_limits(
    organisation, url: str, kind: str = SourceKind.FEED, config: dict | None = None, **settings
) -> tuple[Source, bool]:
    """What a person's "follow" does, whichever page it comes from: within the
    organisation's limits (LimitReached), the source followed, and a newly followed
    source's past items searched for the organisation's names."""
    check_can_follow(organisation)
    source, new = follow_source(organisation, url, kind, config, **settings)
    if new:
        history.start(organisation, source=source)
    return source, new


def unfollow_source(organisation, source: Source) -> None:
    """Stop following. Names restricted to this source keep their restriction (they
    find nothing there any more) rather than silently widening to every source."""
    Follow.objects.filter(organisation=organisation, source=source).delete()
