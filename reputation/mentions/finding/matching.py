"""Which organisations' tracked names a sighting speaks of.

The matches of the shared matcher are kept only for the organisations that follow
the source the item was seen in, on what that source said (the sighting's words,
never another source's copy).
"""

from functools import partial

from django.conf import settings

from reputation.mentions.finding.languages import Languages
from reputation.mentions.finding.matchers import Compiled


def find(comp: Compiled, sightings, follows: dict, langs: Languages, org_ids=None):
    """(organisation id, match, sighting, doc, other names) for each name found.

    `follows`: source id -> {organisation id: followed since} for the sightings'
    sources; `org_ids`: keep only these organisations (a history scan). The other
    names are the organisation's other names found in the same text, whose clauses
    say nothing of this one ("... mais chez X, ...").
    """
    for sighting in sightings:
        readers = follows.get(sighting.source_id)
        if not readers:
            continue
        doc = sighting.document()
        language = partial(langs.of, sighting, doc)
        found = []
        # Bounded per organisation: one text naming thousands of an organisation's
        # names must not cost thousands of mentions (nor their pairs, below).
        per_org: dict[int, int] = {}
        most = settings.POLL_MAX_MENTIONS_PER_ITEM
        wanted = [o for o in readers if org_ids is None or o in org_ids]
        for match in comp.matcher.find(doc, language, sighting.source_id, wanted):
            org_id = comp.owners.get(match.query_id)
            if org_id not in readers or (org_ids is not None and org_id not in org_ids):
                continue
            if per_org.get(org_id, 0) >= most:
                continue
            per_org[org_id] = per_org.get(org_id, 0) + 1
            found.append((org_id, match))
        for org_id, match in found:
            others = [
                name
                for other_org, other in found
                if other_org == org_id and other.query_id != match.query_id
                for name in comp.names.get(other.query_id, ())
            ]
            yield org_id, match, sighting, doc, others
