"""Data steps of the inbox migration, kept here so that regenerating the migration
only needs its two `RunPython` lines added again."""

from django.db import migrations

SEARCH_INDEX = "mention_snippet_search"


def _search_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # Same expression as reputation.inbox.filters.search, so that PostgreSQL uses it.
    return GinIndex(SearchVector("snippet", config="simple"), name=SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("reputation", "Mention"), _search_index())


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("reputation", "Mention"), _search_index())


def fill_priority(apps, schema_editor):
    from reputation.inbox.priority import compute_priority

    Mention = apps.get_model("reputation", "Mention")
    rows = Mention.objects.select_related("source", "item").order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:2000]):
        for mention in batch:
            mention.priority = compute_priority(mention)
        Mention.objects.bulk_update(batch, ["priority"])
        last = batch[-1].pk


def operations():
    return [
        migrations.RunPython(fill_priority, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
