"""Who reads a source, with what writing their mentions needs of each, in one query.

A poll that finds mentions needs, for each organisation that follows the source:
since when it follows (alerts, building.alertable), its tone adapter's version
(tone.adapters_for), its retention and whether it erased anybody
(privacy.screening), its time zone (dashboard.rollups). Asked one by one, that was
five queries per poll, each costing the ORM more CPU to build than the database to
run. Here they are one statement, written from the models (rawsql), read afresh at
every poll: nothing is cached, so a new follower, a changed retention or time zone,
a new erasure or a relearnt adapter count from the next poll on, and each row is one
organisation's own (joined on its follow), never another's.

The rules stay with their owners: this reads the rows they decide with, and the
default retention, the time zone's fallback and the erasure rules are applied by
PrivacySettings, orgs.zone_named and screening.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from monitoring.pipeline import rawsql
from reputation.mentions.models import ToneAdapter
from reputation.orgs.models import Organisation
from reputation.privacy.models import ErasedAuthor, PrivacySettings
from reputation.sources.models import Follow


@dataclass(frozen=True)
class Reader:
    """One organisation following the source, as its mentions need it."""

    followed_at: datetime
    time_zone: str
    retention_months: int | None  # None: never set (PrivacySettings applies the default)
    adapter_updated: datetime | None  # None: no adapter learnt from examples
    erased_authors: bool  # whether it erased anybody (their rules are read then)


@cache  # written from the models once per process, not at every poll
def _sql() -> str:
    t, c = rawsql.table, rawsql.column
    follow, org, privacy = t(Follow), t(Organisation), t(PrivacySettings)
    adapter, erased = t(ToneAdapter), t(ErasedAuthor)
    follow_org = f"{follow}.{c(Follow, 'organisation')}"
    return (
        f"SELECT {follow_org}, {follow}.{c(Follow, 'created')}, "  # noqa: S608 (names from the models)
        f"{org}.{c(Organisation, 'time_zone')}, "
        f"{privacy}.{c(PrivacySettings, 'retention_months')}, "
        f"{adapter}.{c(ToneAdapter, 'updated')}, "
        f"EXISTS (SELECT 1 FROM {erased} WHERE {erased}.{c(ErasedAuthor, 'organisation')}"
        f" = {follow_org}) "
        f"FROM {follow} JOIN {org} ON {org}.{c(Organisation, 'id')} = {follow_org} "
        f"LEFT JOIN {privacy} ON {privacy}.{c(PrivacySettings, 'organisation')} = {follow_org} "
        f"LEFT JOIN {adapter} ON {adapter}.{c(ToneAdapter, 'organisation')} = {follow_org} "
        f"AND {adapter}.{c(ToneAdapter, 'examples')} > 0 "
        f"WHERE {follow}.{c(Follow, 'source')} = %s"
    )


def readers_of(source_id: int) -> dict[int, Reader]:
    """organisation id -> Reader, for the organisations that follow this source."""
    created = rawsql.reader(Follow, "created")
    updated = rawsql.reader(ToneAdapter, "updated")
    with rawsql.cursor(Follow) as cursor:
        cursor.execute(_sql(), [source_id])
        rows = cursor.fetchall()
    return {
        org_id: Reader(created(followed), zone or "", months, updated(adapted), bool(erases))
        for org_id, followed, zone, months, adapted, erases in rows
    }
