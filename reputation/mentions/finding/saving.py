"""Writing the mentions found: once each, with the dashboard's counts, in one
transaction."""

from dataclasses import dataclass, field

from django.db import transaction

from monitoring.models import Item
from monitoring.pipeline.inserts import insert
from reputation.dashboard import rollups
from reputation.mentions.finding.languages import save_item_languages
from reputation.mentions.models import Mention
from reputation.orgs.models import zone_named
from reputation.privacy.screening import screen


@dataclass
class PendingMentions:
    """Mentions found and scored, waiting to be written (save_mentions)."""

    mentions: list[Mention] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # whose language was detected
    # organisation id -> Reader (finding/readers.py), when the poll read them: the
    # privacy rules and time zones then cost no query of their own.
    readers: dict = field(default_factory=dict)


def unrecorded(mentions: list[Mention], new_ids: set) -> list[Mention]:
    """Drop mentions already recorded (items created by this poll cannot have any)."""
    older = {m.item_id for m in mentions if m.item_id not in new_ids}
    if not older:
        return mentions
    known = set(
        Mention.objects.filter(item__in=older).values_list(
            "organisation_id", "tracked_name_id", "item_id"
        )
    )
    return [m for m in mentions if (m.organisation_id, m.tracked_name_id, m.item_id) not in known]


def save_mentions(pending: PendingMentions) -> int:
    """Write what was found; returns how many mentions were new."""
    # The organisation's privacy rules first: erased authors, beyond its retention.
    known = pending.readers or None
    pending.mentions = screen(pending.mentions, known)
    with transaction.atomic(savepoint=False):
        # ignore_conflicts: another worker may record the same mention at the same moment.
        # The codes of those written: the others were another worker's to count.
        written = insert(pending.mentions, ignore_conflicts=True, returning="code")
        # The dashboard's daily counts move in the same transaction as the mentions.
        zones = {pk: zone_named(r.time_zone) for pk, r in known.items()} if known else None
        rollups.add_mentions(pending.mentions, written, zones)
        save_item_languages(pending.items)
    return len(pending.mentions)
