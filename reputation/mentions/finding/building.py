"""A mention built from what the organisation's own source said, and only that.

Its words, author, address, date, rating and language come from the sighting of the
source the organisation follows: another source showing the same item (first, or
with a planted rating, date or link) changes nothing of it.
"""

from monitoring.matching.matcher import context, snippet
from monitoring.models import Sighting, Source
from monitoring.pipeline.inserts import new_row
from monitoring.sentiment import aspects, from_rating, score_toward
from reputation.mentions.finding.languages import Languages
from reputation.mentions.finding.matchers import Compiled
from reputation.mentions.models import Mention

# Below this confidence a mention is flagged "to check" for a person to confirm.
LOW_CONFIDENCE = 0.35


def build_mention(
    comp: Compiled,
    org_id,
    match,
    sighting: Sighting,
    doc,
    source,
    followed_at,
    langs: Languages,
    others=(),
    adapter=None,
) -> Mention:
    language = langs.of(sighting, doc)
    text, highlights = snippet(doc, match.spans)
    around = context(doc, match.spans)
    if sighting.rating is not None:
        tone = from_rating(sighting.rating)
    else:
        # The tone toward this name: its clauses, not the others' ("mais chez X"), the
        # body when the title only names it; the name itself is neither praise nor
        # complaint ("Au Bon Pain"); the organisation's own labels adjust it.
        names = comp.names.get(match.query_id, ())
        tone = score_toward(around, names, language, sighting.shown_title, others, adapter)
    mention = new_row(
        Mention,
        organisation_id=org_id,
        tracked_name_id=match.query_id,
        # Keys, the objects attached below; new_row is Mention(...) for a third of
        # Django's __init__, which spends three times longer on a related object.
        item_id=sighting.item.pk,
        source_id=source.pk if source is not None else None,
        url=sighting.url,
        published=sighting.published,
        published_known=sighting.published_known,
        rating=sighting.rating,
        title=sighting.shown_title[:2000],
        author=sighting.author[:300],
        snippet=text,
        highlights=highlights,
        language=language,
        aspects=aspects(around, language),
        alertable=alertable(sighting, source, followed_at),
    )
    Mention.item.field.set_cached_value(mention, sighting.item)
    Mention.source.field.set_cached_value(mention, source)
    # Before the score: the inbox's priority counts a tone to check (inbox/priority.py).
    mention.needs_review = tone.confidence < LOW_CONFIDENCE
    mention.set_auto_sentiment(tone.label, tone.score, tone.confidence)
    return mention


def alertable(sighting: Sighting, source: Source | None, followed_at) -> bool:
    """Whether the mention is news to the organisation, worth an alert.

    Items published before the organisation followed the source fill the history
    but never alert. An undated one is new if the source had already been polled
    since it was followed: the first poll's undated entries are a backlog (old
    reviews), kept out of alerts and of the day's figures (dashboard/rollups.py).
    """
    if followed_at is None:
        return False
    if sighting.published_known:
        return sighting.published >= followed_at
    return bool(source and source.last_success_at and source.last_success_at >= followed_at)
