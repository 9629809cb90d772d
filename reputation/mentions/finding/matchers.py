"""One compiled matcher for every active tracked name, cached per worker.

One Matcher holds every active tracked name of every organisation, so an item is
scanned once whatever the number of names. It is rebuilt when the matcher version
moves (a name was added, changed or removed anywhere).
"""

import time
from dataclasses import dataclass

from monitoring.matching.matcher import Matcher, Query
from reputation.names.models import MatcherVersion, TrackedName

# How long a worker trusts its matcher before reading the matcher version again: one
# query per poll of every source is more than a change needs.
RECHECK_SECONDS = 5.0


def query_for(tracked: TrackedName) -> Query:
    return Query(
        id=tracked.pk,
        names=tracked.names,
        context_terms=list(tracked.context_terms),
        exclude_terms=list(tracked.exclude_terms),
        languages=list(tracked.languages),
        source_ids=[s.pk for s in tracked.sources.all()],
    )


@dataclass
class Compiled:
    version: int
    matcher: Matcher
    owners: dict[int, int]  # tracked name id -> organisation id
    names: dict[int, list[str]]  # tracked name id -> its names (not scored as tone)


def compile_names(names, version: int = 0) -> Compiled:
    names = list(names)
    return Compiled(
        version,
        Matcher([query_for(t) for t in names]),
        {t.pk: t.organisation_id for t in names},
        {t.pk: t.names for t in names},
    )


class _Cache:
    compiled: Compiled | None = None
    checked_at = 0.0


def invalidate() -> None:
    """Forget the matcher (matching changed in this process)."""
    _Cache.compiled = None


def compiled() -> Compiled:
    """The matcher for all active tracked names, rebuilt when the version moved."""
    cache = _Cache
    if cache.compiled is not None and time.monotonic() - cache.checked_at < RECHECK_SECONDS:
        return cache.compiled
    cache.checked_at = time.monotonic()
    version = MatcherVersion.current()
    if cache.compiled is None or cache.compiled.version != version:
        active = TrackedName.objects.filter(active=True).prefetch_related("sources")
        cache.compiled = compile_names(active, version)
    return cache.compiled
