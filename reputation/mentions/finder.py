"""From collected items to mentions: which organisations' tracked names a sighting
speaks of. This is the product's consumer of the collector (registered in
reputation/apps.py): the poll hands it each source's new sightings.

Each organisation's active names make one matcher, and an item is read only with the
matchers of the organisations that follow the source it was seen in (folded once
for all of them); matches are scored on what that source said (the sighting's
words, never another source's copy).
"""

import time
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from monitoring.matching.groups import MatcherSet
from monitoring.matching.matcher import Query, context, snippet
from monitoring.models import Item, Sighting, Source
from monitoring.sentiment import aspects, detect_language, from_rating, score_text, score_toward
from reputation.dashboard import rollups
from reputation.mentions import tone
from reputation.models import Follow, Mention, Organisation, TrackedName
from reputation.names.models import MatcherVersion
from reputation.privacy.screening import screen

# Below this confidence a mention is flagged "to check" for a person to confirm.
LOW_CONFIDENCE = 0.35
# An item's language and overall tone are read from its opening: the title and lead
# say what a piece is, and whole long articles cost more for the same label.
ITEM_LANGUAGE_CHARS = 1500
ITEM_SCORE_CHARS = 1500
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
    matcher: MatcherSet  # one matcher per organisation (monitoring/matching/groups.py)
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


def compiled() -> Compiled:
    """The matchers of the organisations' active names. Each organisation's is built
    when a poll first needs it and rebuilt alone when its version moved, so one
    organisation's names and changes cost the others nothing (issue 17)."""
    cache = _Cache
    if cache.compiled is not None and time.monotonic() - cache.checked_at < RECHECK_SECONDS:
        return cache.compiled
    cache.checked_at = time.monotonic()
    version = MatcherVersion.current()
    if cache.compiled is None:
        cache.compiled = _compiled(MatcherSet(load_names), -1)
    if cache.compiled.version != version:
        # Read after the global version: a change in between is rebuilt twice, never missed.
        cache.compiled.matcher.keep(dict(Organisation.objects.values_list("pk", "matcher_version")))
        cache.compiled.version = version
    return cache.compiled


class Languages:
    """Items' languages, detected the first time something needs one.

    Only items that mention a tracked name need one (to apply a language filter, to
    score the tone), and most collected items mention nobody: detecting the language
    of every item cost more than matching them. The language the source declared
    decides when the text is too short. A sighting with words of its own gets its own
    language, never written on the shared item.
    """

    def __init__(self):
        self.found: dict[int, str] = {}  # item id -> language detected now
        self.own: dict[int, str] = {}  # sighting id -> language of its own words

    def of(self, sighting: Sighting, doc: str) -> str:
        item = sighting.item
        if sighting.own_content:
            key = id(sighting)
            if key not in self.own:
                self.own[key] = detect_language(
                    doc[:ITEM_LANGUAGE_CHARS], hint=item.declared_language
                )
            return self.own[key]
        if item.language:
            return item.language
        if item.pk not in self.found:
            item.language = detect_language(doc[:ITEM_LANGUAGE_CHARS], hint=item.declared_language)
            self.found[item.pk] = item.language
        return item.language


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


def build_mention(
    comp, org_id, match, sighting, doc, source, followed_at, langs, others=(), adapter=None
) -> Mention:
    item = sighting.item
    language = langs.of(sighting, doc)
    text, highlights = snippet(doc, match.spans)
    around = context(doc, match.spans)
    if item.rating is not None:
        tone = from_rating(item.rating)
    else:
        # The tone toward this name: its clauses, not the others' ("mais chez X"), the
        # body when the title only names it; the name itself is neither praise nor
        # complaint ("Au Bon Pain"); the organisation's own labels adjust it.
        names = comp.names.get(match.query_id, ())
        title = sighting.shown_title
        tone = score_toward(around, names, language, title, others, adapter)
    mention = Mention(
        organisation_id=org_id,
        tracked_name_id=match.query_id,
        item=item,
        source=source,
        published=item.published,
        title=sighting.shown_title[:2000],
        author=sighting.shown_author[:300],
        snippet=text,
        highlights=highlights,
        language=language,
        aspects=aspects(around, language),
        alertable=_alertable(item, source, followed_at),
    )
    # Before the score: the inbox's priority counts a tone to check (inbox/priority.py).
    mention.needs_review = tone.confidence < LOW_CONFIDENCE
    mention.set_auto_sentiment(tone.label, tone.score, tone.confidence)
    return mention


def _alertable(item: Item, source: Source | None, followed_at) -> bool:
    """Items published before the organisation followed the source fill the history
    but never alert."""
    if followed_at is None:
        return False
    if item.published_known:
        return item.published >= followed_at
    # No date: new if the source had already been polled since it was followed.
    return bool(source and source.last_success_at and source.last_success_at >= followed_at)


@dataclass
class PendingMentions:
    """Mentions found and scored, waiting to be written (MentionFinder.save)."""

    mentions: list[Mention] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # whose tone or language changed


class MentionFinder:
    """The collector's consumer (monitoring.pipeline.consumers)."""

    def wanted(self):
        return Exists(Follow.objects.filter(source=OuterRef("pk")))

    def prepare(self, source: Source, sightings, new_items=()) -> PendingMentions:
        if not sightings:
            return PendingMentions()
        readers = {f.organisation_id: f.created for f in Follow.objects.filter(source=source)}
        if not readers:
            return PendingMentions()
        comp, langs = compiled(), Languages()
        found = list(find(comp, sightings, {source.pk: readers}, langs))
        adapters = tone.adapters_for({org_id for org_id, *_ in found}) if found else {}
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
        mentions = _unrecorded(mentions, {item.pk for item in new_items})
        items = [s.item for s in sightings]
        return PendingMentions(mentions, score_items([m.item for m in mentions], langs, items))

    def save(self, pending: PendingMentions) -> int:
        return save_mentions(pending)


def _unrecorded(mentions: list[Mention], new_ids: set) -> list[Mention]:
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
    """Write what prepare found; returns how many mentions were new."""
    pending.mentions = screen(pending.mentions)  # erased authors, beyond retention
    with transaction.atomic(savepoint=False):
        # ignore_conflicts: another worker may record the same mention at the same moment.
        Mention.objects.bulk_create(pending.mentions, ignore_conflicts=True, batch_size=500)
        # The dashboard's daily counts move in the same transaction as the mentions.
        rollups.add_mentions(pending.mentions)
        save_item_analysis(pending.items)
    return len(pending.mentions)


def score_items(mentioned, langs: Languages, also=()) -> list[Item]:
    """Give mentioned items their overall tone, if they have none yet; returns the
    items to save (those, and any of `also` whose language was detected)."""
    unique = {i.pk: i for i in mentioned}
    todo = [item for item in unique.values() if not item.sentiment]
    for item in todo:
        doc = item.document()
        language = item.language or detect_language(
            doc[:ITEM_LANGUAGE_CHARS], hint=item.declared_language
        )
        item.language = language
        tone = score_text(doc[:ITEM_SCORE_CHARS], language)
        item.sentiment, item.score = tone.label, tone.score
    changed = {i.pk: i for i in also if i.pk in langs.found}
    changed.update((i.pk, i) for i in todo)
    return list(changed.values())


def save_item_analysis(items: list[Item]) -> None:
    """Save the tone and language of these items."""
    if not items:
        return
    # One prepared UPDATE run for each row: bulk_update's CASE expressions cost
    # more than the scoring itself.
    table = Item._meta.db_table
    sql = f"UPDATE {table} SET sentiment = %s, score = %s, language = %s WHERE id = %s"  # noqa: S608
    rows = [(i.sentiment, i.score, i.language, i.pk) for i in items]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
