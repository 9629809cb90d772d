"""The language of what a source said, detected the first time something needs it.

Only items that mention a tracked name need one (to apply a language filter, to
score the tone), and most collected items mention nobody: detecting the language of
every item cost more than matching them. The language a source declared decides when
the text is too short, so it is part of what the source said: a sighting with words
of its own, or declaring another language than the stored item's, gets its own
language, never written on the shared item. Identical words with the same
declaration are detected once and kept on the item (work saved, nothing decided).
"""

from django.db import connection, transaction

from monitoring.models import Item, Sighting
from monitoring.sentiment import detect_language

# A text's language is read from its opening: the title and lead say what a piece
# is, and whole long articles cost more for the same label.
LANGUAGE_CHARS = 1500


class Languages:
    def __init__(self):
        self.found: dict[int, str] = {}  # item id -> language detected now
        self.own: dict[int, str] = {}  # id(sighting) -> language of what it said

    def of(self, sighting: Sighting, doc: str) -> str:
        item = sighting.item
        if sighting.own_content or sighting.declared_language != item.declared_language:
            key = id(sighting)
            if key not in self.own:
                self.own[key] = detect_language(
                    doc[:LANGUAGE_CHARS], hint=sighting.declared_language
                )
            return self.own[key]
        if item.language:
            return item.language
        if item.pk not in self.found:
            item.language = detect_language(doc[:LANGUAGE_CHARS], hint=item.declared_language)
            self.found[item.pk] = item.language
        return item.language

    def detected(self, items) -> list[Item]:
        """Those of these items whose language was detected here (to save)."""
        unique = {i.pk: i for i in items if i.pk in self.found}
        return list(unique.values())


def save_item_languages(items: list[Item]) -> None:
    """Keep the languages detected, so that no later sighting detects them again."""
    if not items:
        return
    # One prepared UPDATE run for each row: bulk_update's CASE expressions cost
    # more than the detection itself.
    table = Item._meta.db_table
    sql = f"UPDATE {table} SET language = %s WHERE id = %s"  # noqa: S608
    rows = [(i.language, i.pk) for i in items]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
