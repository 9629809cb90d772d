"""Storing what a poll found: one Item per story, one Sighting per source showing it.

Items are deduplicated across sources by canonical URL, guid and a fingerprint of
their content, so the same story in two feeds is one item. Each sighting keeps what
its source said (address, date, rating, language, author, and its words when they
differ, see Sighting): the first copy stored never speaks for another source's
followers.

A fingerprint merges syndication only: the same words under another address within
SYNDICATION_WINDOW of the stored item. The same words months later (a recurring
notice, a post copied from an old one) are a new item, with its own date and its own
mentions and alerts.
"""

import logging
from datetime import timedelta

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from monitoring.models import Item, Sighting, Source
from monitoring.parse.canonical import canonical_url, fingerprint, sha1
from monitoring.parse.sanitize import clean_entry
from monitoring.pipeline import rawsql
from monitoring.pipeline.inserts import insert, new_row
from monitoring.sources import kinds
from monitoring.types import Entry

log = logging.getLogger(__name__)

# Copies of one story by several sites appear within hours of each other, a day or
# two for a weekly; beyond that, the same words are a new post.
SYNDICATION_WINDOW = timedelta(hours=72)


def guid_hash(entry: Entry) -> str:
    key = entry.guid or entry.url or f"{entry.title}\n{entry.text}"
    return sha1(key.strip())


def store_entries(source: Source, entries: list[Entry]) -> tuple[list[Item], list[Sighting]]:
    """Store what this source has not shown before.

    Returns (new items, new sightings, each with its `item`). An item already known
    from another source (same canonical URL or same content) is not stored again, but
    is sighted here, so that those who follow this source get it too.

    A constant number of queries per poll in the usual case (lookups by sets of
    keys, bulk inserts); on a conflict with another worker storing the same item at
    the same moment, it falls back to one item at a time.
    """
    now = timezone.now()
    by_guid: dict[str, Entry] = {}
    for entry in entries:
        # Cleaned before anything is keyed or stored: one control character in one
        # item made PostgreSQL refuse the whole poll; a script link is never stored.
        clean_entry(entry)
        by_guid.setdefault(guid_hash(entry), entry)
    seen = _seen(source, list(by_guid))
    fresh = [(g, e) for g, e in by_guid.items() if g not in seen]
    if not fresh:
        return [], []
    try:
        with transaction.atomic():
            return _store_batch(source, fresh, now)
    except (IntegrityError, DataError):
        # A conflict with another worker, or one item the database refuses: one at a
        # time, so that one bad item never costs the others.
        return _store_one_by_one(source, fresh, now)


def _seen(source: Source, guid_hashes: list[str]) -> set[str]:
    """The guids this source showed before (raw SQL: the ORM cost more to build it)."""
    if not guid_hashes:
        return set()
    source_id, guid = rawsql.column(Sighting, "source"), rawsql.column(Sighting, "guid_hash")
    where = f"{source_id} = %s AND {guid} IN ({rawsql.placeholders(guid_hashes)})"
    return {g for (g,) in rawsql.select(Sighting, ["guid_hash"], where, [source.pk, *guid_hashes])}


def _known(url_hashes: set[str], fps: set[str]) -> list[Item]:
    """Items stored under one of these URLs or contents, oldest first: one statement
    for both keys, each read from its own index (rawsql.load_any)."""
    keys = []
    if url_hashes:
        url_hashes = sorted(url_hashes)
        where = f"{rawsql.column(Item, 'url_hash')} IN ({rawsql.placeholders(url_hashes)})"
        keys.append((where, url_hashes))
    if fps:
        fps = sorted(fps)
        where = f"{rawsql.column(Item, 'fingerprint')} IN ({rawsql.placeholders(fps)})"
        keys.append((where, fps))
    return rawsql.load_any(Item, keys) if keys else []


def _keys(source: Source, entry: Entry) -> tuple[str, str, str]:
    # A forum post's permalink differs from its neighbours' only by its #fragment.
    url = canonical_url(entry.url, keep_fragment=kinds.keep_fragment(source.kind))
    return url, (sha1(url) if url else ""), fingerprint(entry.title, entry.text)


def _sighting(source, item, guid_hash, entry, url, fp, now) -> Sighting:
    """This source's sighting of the item: what it said, its words if they differ
    (the item is stored already: its key is known)."""
    sighting = new_row(
        Sighting,
        item_id=item.pk,
        source_id=source.pk,
        guid_hash=guid_hash,
        created=now,
        url=url[:2000],
        # Undated: the day this source first showed it, marked as such.
        published=entry.published or now,
        published_known=entry.published is not None,
        rating=entry.rating,
        declared_language=(entry.language or "")[:8],
        author=entry.author[:300],
    )
    if not (fp and fp == item.fingerprint):
        sighting.own_content = True
        sighting.title = entry.title[:2000]
        sighting.text = entry.text
    _related(sighting, item=item, source=source)
    return sighting


def _related(obj, **related) -> None:
    """Attach the related objects, as Model(item=item) does. Rows are built with the
    keys and the objects attached after: Django's __init__ spends three times longer
    on an object than on its key (13 µs against 37 µs for an item), and a poll builds
    forty of them."""
    for name, value in related.items():
        type(obj)._meta.get_field(name).set_cached_value(obj, value)


def _syndicated(item: Item, entry: Entry, now) -> bool:
    """Whether this entry, with the item's words under another address, is a copy of
    the same story (published, or collected when undated, close to the item)."""
    when = entry.published or now
    return abs(when - item.published) <= SYNDICATION_WINDOW or (
        entry.published is None and abs(now - item.collected) <= SYNDICATION_WINDOW
    )


def _store_batch(source, fresh, now) -> tuple[list[Item], list[Sighting]]:
    keyed = [(g, e, *_keys(source, e)) for g, e in fresh]
    url_hashes = {k[3] for k in keyed if k[3]}
    fps = {k[4] for k in keyed if k[4]}
    by_url: dict[str, Item] = {}
    by_fp: dict[str, list[Item]] = {}
    for item in _known(url_hashes, fps):
        if item.url_hash in url_hashes:
            by_url[item.url_hash] = item
        if item.fingerprint in fps:
            by_fp.setdefault(item.fingerprint, []).append(item)
    new_items, sightings = [], []
    for guid_hash_, entry, url, url_hash, fp in keyed:
        item = (url_hash and by_url.get(url_hash)) or _copy_of(by_fp.get(fp, ()), entry, now)
        if not item:
            item = _new_item(source, guid_hash_, entry, url, url_hash, fp, now)
            new_items.append(item)
            # The same story twice in one body is one item too.
            if url_hash:
                by_url[url_hash] = item
            if fp:
                by_fp.setdefault(fp, []).append(item)
        sightings.append((guid_hash_, entry, url, fp, item))
    insert(new_items)
    rows = [
        _sighting(source, item, g, entry, url, fp, now) for g, entry, url, fp, item in sightings
    ]
    insert(rows)
    # Two guids for one story (one body listing it twice): its first copy speaks.
    unique: dict[int, Sighting] = {}
    for row in rows:
        unique.setdefault(row.item.pk, row)
    return new_items, list(unique.values())


def _store_one_by_one(source, fresh, now) -> tuple[list[Item], list[Sighting]]:
    new_items, rows = [], []
    for guid_hash_, entry in fresh:
        try:
            item, created, url, fp = _item_for(source, guid_hash_, entry, now)
            sighting = _sighting(source, item, guid_hash_, entry, url, fp, now)
            try:
                with transaction.atomic():
                    sighting.save()
            except IntegrityError:
                continue  # another worker sighted it at the same moment
        except DataError:
            # Refused by the database whatever we cleaned: this item only is lost.
            log.warning("%s: an item was refused by the database", source.url, exc_info=True)
            continue
        rows.append(sighting)
        if created:
            new_items.append(item)
    return new_items, rows


def _new_item(source, guid_hash_, entry, url, url_hash, fp, now) -> Item:
    item = new_row(
        Item,
        source_id=source.pk,
        url=url[:2000],
        url_hash=url_hash,
        guid_hash=guid_hash_,
        fingerprint=fp,
        title=entry.title[:2000],
        text=entry.text,
        author=entry.author[:300],
        published=entry.published or now,
        published_known=entry.published is not None,
        collected=now,
        declared_language=(entry.language or "")[:8],
    )
    _related(item, source=source)
    # Its language is found only once it mentions somebody (most items never do).
    return item


def _copy_of(items, entry: Entry, now) -> Item | None:
    """The oldest of these items (same words) of which the entry is a syndicated copy."""
    return next((item for item in items if _syndicated(item, entry, now)), None)


def _item_for(source: Source, guid_hash_: str, entry: Entry, now) -> tuple[Item, bool, str, str]:
    url, url_hash, fp = _keys(source, entry)
    existing = _existing_item(url_hash, fp, entry, now)
    if existing:
        return existing, False, url, fp
    item = _new_item(source, guid_hash_, entry, url, url_hash, fp, now)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Stored by another worker (or guid reused by this source for another URL).
        existing = (
            _existing_item(url_hash, fp, entry, now)
            or Item.objects.filter(source=source, guid_hash=guid_hash_).first()
        )
        if existing is None:
            raise
        return existing, False, url, fp
    return item, True, url, fp


def _existing_item(url_hash: str, fp: str, entry: Entry, now) -> Item | None:
    if url_hash:
        item = Item.objects.filter(url_hash=url_hash).first()
        if item:
            return item
    if fp:
        return _copy_of(Item.objects.filter(fingerprint=fp).order_by("pk"), entry, now)
    return None
