"""From collected items to mentions: the product's consumer of the collector
(registered in reputation/apps.py): the poll hands it each source's new sightings.

The stages live in reputation/mentions/finding/: the compiled matcher (matchers),
languages, finding matches (matching), building mentions from what the
organisation's own source said (building), and saving them (saving).
"""

from django.db.models import Exists, OuterRef

from monitoring.models import Source
from reputation.mentions import tone
from reputation.mentions.finding.building import build_mention
from reputation.mentions.finding.languages import Languages
from reputation.mentions.finding.matchers import compiled
from reputation.mentions.finding.matching import find
from reputation.mentions.finding.readers import readers_of
from reputation.mentions.finding.saving import PendingMentions, save_mentions, unrecorded
from reputation.sources.models import Follow


class MentionFinder:
    """The collector's consumer (monitoring.pipeline.consumers)."""

    def wanted(self):
        return Exists(Follow.objects.filter(source=OuterRef("pk")))

    def prepare(self, source: Source, sightings, new_items=()) -> PendingMentions:
        if not sightings:
            return PendingMentions()
        # Who follows it, with what their mentions need (one query, at every poll).
        known = readers_of(source.pk)
        if not known:
            return PendingMentions()
        readers = {pk: r.followed_at for pk, r in known.items()}
        comp, langs = compiled(), Languages()
        found = list(find(comp, sightings, {source.pk: readers}, langs))
        versions = {pk: r.adapter_updated for pk, r in known.items()}
        adapters = tone.adapters_for({org_id for org_id, *_ in found}, versions) if found else {}
        mentions = [
            build_mention(
                comp,
                org_id,
                match,
                s,
                doc,
                source,
                readers[org_id],
                langs,
                others,
                adapters.get(org_id),
            )
            for org_id, match, s, doc, others in found
        ]
        mentions = unrecorded(mentions, {item.pk for item in new_items})
        return PendingMentions(mentions, langs.detected([s.item for s in sightings]), known)

    def save(self, pending: PendingMentions) -> int:
        return save_mentions(pending)
