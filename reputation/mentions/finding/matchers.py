"""The compiled matchers of the organisations' active names, cached per worker.

Each organisation's active names make one matcher (monitoring/matching/groups.py), and
an item is read only with the matchers of the organisations that follow the source it
was seen in (folded once for all of them). An organisation's matcher is built when a
poll first needs it and rebuilt alone when its `matcher_version` moved, so one
organisation's names and changes cost the others nothing (issue 17). What a worker
keeps is capped by MATCHER_CACHE_MB: past it, the least recently used organisations'
matchers are forgotten and built again when next needed (issue 22).
"""

import time
from dataclasses import dataclass

from django.conf import settings

from monitoring.matching.groups import MatcherSet
from monitoring.matching.matcher import Query
from reputation.names.models import MatcherVersion, TrackedName
from reputation.orgs.models import Organisation

# How long a worker trusts its matchers before reading the matcher version again: one
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
    matcher: MatcherSet  # one matcher per organisation
    owners: dict[int, int]  # tracked name id -> organisation id
    names: dict[int, list[str]]  # tracked name id -> its names (not scored as tone)


def _compiled(groups: MatcherSet, version: int = 0) -> Compiled:
    # owners and names are the set's own dicts: they follow the organisations it builds.
    return Compiled(version, groups, groups.owners, groups.names)


def compile_names(names, version: int = 0) -> Compiled:
    by_org: dict[int, list[Query]] = {}
    for t in names:
        by_org.setdefault(t.organisation_id, []).append(query_for(t))
    groups = MatcherSet()
    for org_id, queries in by_org.items():
        groups.add(org_id, queries)
    return _compiled(groups, version)


def load_names(org_ids) -> dict[int, list[Query]]:
    """The queries of these organisations' active names (MatcherSet's loader)."""
    active = TrackedName.objects.filter(active=True, organisation_id__in=list(org_ids))
    out: dict[int, list[Query]] = {}
    for t in active.prefetch_related("sources"):
        out.setdefault(t.organisation_id, []).append(query_for(t))
    return out


class _Cache:
    compiled: Compiled | None = None
    checked_at = 0.0


def invalidate() -> None:
    """Matching changed in this process: check the versions at the next use."""
    _Cache.checked_at = 0.0


def forget_matcher(**kwargs) -> None:
    """Receiver of names.signals.matching_changed (connected by MentionsConfig.ready)."""
    invalidate()


def compiled() -> Compiled:
    """The matchers of the organisations' active names (built lazily, per organisation)."""
    cache = _Cache
    if cache.compiled is not None and time.monotonic() - cache.checked_at < RECHECK_SECONDS:
        return cache.compiled
    cache.checked_at = time.monotonic()
    version = MatcherVersion.current()
    if cache.compiled is None:
        cap = settings.MATCHER_CACHE_MB * 1_000_000
        cache.compiled = _compiled(MatcherSet(load_names, max_bytes=cap), -1)
    if cache.compiled.version != version:
        # Read after the global version: a change in between is rebuilt twice, never missed.
        cache.compiled.matcher.keep(dict(Organisation.objects.values_list("pk", "matcher_version")))
        cache.compiled.version = version
    return cache.compiled
