"""From items to mentions: which organisations' tracked names an item speaks of.

One Matcher holds every active tracked name of every organisation, so an item is
scanned once whatever the number of names; its matches are then kept only for the
organisations that follow the source the item was seen in.
"""

import time
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models import Count, Max

from monitoring.match import Matcher, Query, context, snippet
from monitoring.models import Follow, Item, Source
from monitoring.sentiment import aspects, detect_language, from_rating, score_text
from reputation.dashboard import rollups
from reputation.models import Mention, TrackedName


@dataclass
class _Compiled:
    signature: tuple
    matcher: Matcher
    owners: dict[int, int]  # tracked name id -> organisation id
    names: dict[int, list[str]]  # tracked name id -> its names (not scored as tone)


_cache: _Compiled | None = None


def _signature() -> tuple:
    agg = TrackedName.objects.aggregate(n=Count("pk"), last=Max("modified"))
    return (agg["n"], agg["last"])


def query_for(tracked: TrackedName) -> Query:
    return Query(
        id=tracked.pk,
        names=tracked.names,
        context_terms=list(tracked.context_terms),
        exclude_terms=list(tracked.exclude_terms),
        languages=list(tracked.languages),
        source_ids=[s.pk for s in tracked.sources.all()],
    )


# How long a worker trusts its matcher before asking the database whether a tracked
# name changed: one query per poll of every source is more than a change needs.
RECHECK_SECONDS = 5.0
_checked_at = 0.0


def invalidate() -> None:
    """Forget the matcher (a tracked name changed in this process)."""
    global _cache
    _cache = None


def compiled() -> _Compiled:
    """The matcher for all tracked names, rebuilt only when one of them changed."""
    global _cache, _checked_at
    if _cache is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
        return _cache
    _checked_at = time.monotonic()
    sig = _signature()
    if _cache is None or _cache.signature != sig:
        tracked = list(TrackedName.objects.filter(active=True).prefetch_related("sources"))
        _cache = _Compiled(
            sig,
            Matcher([query_for(t) for t in tracked]),
            {t.pk: t.organisation_id for t in tracked},
            {t.pk: t.names for t in tracked},
        )
    return _cache


def document(item: Item) -> str:
    """The text matched and scored: title then body (once, when the body repeats it)."""
    title, text = item.title.strip(), item.text.strip()
    if not title or text.startswith(title.rstrip(".…")):
        return text or title
    return f"{title}\n{text}"


# An item's language is read from its opening: the title and lead say what a piece is.
ITEM_LANGUAGE_CHARS = 1500


def item_language(item: Item, doc: str | None = None) -> str:
    """The item's language, detected the first time something needs it.

    Only items that mention a tracked name need one (to apply a language filter, to
    score the tone), and most collected items mention nobody: detecting the language
    of every item cost more than matching them. The language the feed declared
    (`item.language_hint`, set by the poll) decides when the text is too short.
    """
    if not item.language and not getattr(item, "language_checked", False):
        doc = document(item) if doc is None else doc
        hint = getattr(item, "language_hint", "")
        item.language = detect_language(doc[:ITEM_LANGUAGE_CHARS], hint=hint)
        item.language_checked = True
        item.language_changed = bool(item.language)
    return item.language


def build_mentions(source: Source, items: list[Item]) -> list[Mention]:
    if not items:
        return []
    follows = {f.organisation_id: f.created for f in Follow.objects.filter(source=source)}
    if not follows:
        return []
    comp = compiled()
    mentions = []
    for item in items:
        doc = document(item)
        for match in comp.matcher.find(doc, partial(item_language, item, doc), source.pk):
            org_id = comp.owners.get(match.query_id)
            if org_id not in follows:
                continue
            item_language(item, doc)
            names = comp.names.get(match.query_id, ())
            mentions.append(_mention(org_id, match, item, doc, source, follows[org_id], names))
    return mentions


def _mention(org_id, match, item, doc, source, followed_at, names=()) -> Mention:
    text, highlights = snippet(doc, match.spans)
    around = context(doc, match.spans)
    if item.rating is not None:
        tone = from_rating(item.rating)
    else:
        # The business's own name is neither praise nor complaint ("Au Bon Pain").
        tone = score_text(around, item.language, ignore=names)
    if item.published_known:
        alertable = item.published >= followed_at
    else:
        # No date: new if the source had already been polled since it was followed.
        alertable = bool(source.last_success_at and source.last_success_at >= followed_at)
    mention = Mention(
        organisation_id=org_id,
        tracked_name_id=match.query_id,
        item=item,
        source=source,
        published=item.published,
        snippet=text,
        highlights=highlights,
        language=item.language,
        aspects=aspects(around, item.language),
        alertable=alertable,
    )
    mention.set_auto_sentiment(tone.label, tone.score, tone.confidence)
    mention.needs_review = tone.confidence < LOW_CONFIDENCE
    return mention


# Below this confidence a mention is flagged "to check" for a person to confirm.
LOW_CONFIDENCE = 0.35


@dataclass
class PendingMentions:
    """Mentions found and scored, waiting to be written (see record_mentions)."""

    mentions: list[Mention] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # whose tone or language changed


def prepare_mentions(source: Source, items: list[Item], new_items=()) -> PendingMentions:
    """Find and score the mentions of these items: the CPU work, and reads only.

    The poll runs this outside its write transaction, so that on SQLite (one writer
    at a time) the other workers never wait for matching and scoring. `new_items`
    were created by this poll: they cannot have mentions yet, nobody is asked.
    """
    mentions = build_mentions(source, items)
    new_ids = {item.pk for item in new_items}
    older = {m.item_id for m in mentions if m.item_id not in new_ids}
    if older:
        known = set(
            Mention.objects.filter(item__in=older).values_list(
                "organisation_id", "tracked_name_id", "item_id"
            )
        )
        mentions = [
            m for m in mentions if (m.organisation_id, m.tracked_name_id, m.item_id) not in known
        ]
    mentioned = {m.item_id: m.item for m in mentions}.values()
    return PendingMentions(mentions, score_items(mentioned, also=items))


def save_mentions(pending: PendingMentions) -> int:
    """Write what prepare_mentions found; returns how many mentions were new."""
    with transaction.atomic(savepoint=False):
        # ignore_conflicts: another worker may record the same mention at the same moment.
        Mention.objects.bulk_create(pending.mentions, ignore_conflicts=True, batch_size=500)
        # The dashboard's daily counts move in the same transaction as the mentions.
        rollups.add_mentions(pending.mentions)
        save_item_analysis(pending.items)
    return len(pending.mentions)


def record_mentions(source: Source, items: list[Item], new_items=()) -> int:
    """Create the mentions of these items; returns how many were new."""
    return save_mentions(prepare_mentions(source, items, new_items))


# An item's overall tone is read from its opening: the title and lead say what a
# piece is about, and whole long articles cost four times more for the same label.
ITEM_SCORE_CHARS = 1500


def score_items(items, also=()) -> list[Item]:
    """Give the items their overall tone, if they have none yet; returns the items to
    save (those, and any of `also` whose language was detected)."""
    todo = [item for item in items if not item.sentiment]
    for item in todo:
        tone = score_text(document(item)[:ITEM_SCORE_CHARS], item_language(item))
        item.sentiment, item.score = tone.label, tone.score
    changed = {i.pk: i for i in (*items, *also) if getattr(i, "language_changed", False)}
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
    for item in items:
        item.language_changed = False
