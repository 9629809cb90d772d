"""Hand-written (regenerating the migrations recreates 0001_initial only): the
inbox's full-text index, on PostgreSQL only.

Not a Meta index of Mention because SQLite has no GIN index nor SearchVector; the
expression must stay the same as reputation.inbox.filters.search, so that PostgreSQL
uses it.
"""

from django.db import migrations

SEARCH_INDEX = "mention_snippet_search"


def _search_index():
    # Only called on PostgreSQL: a SQLite install never needs django.contrib.postgres.
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("snippet", config="simple"), name=SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("mentions", "Mention"), _search_index())


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("mentions", "Mention"), _search_index())


class Migration(migrations.Migration):
    dependencies = [("mentions", "0001_initial")]

    operations = [migrations.RunPython(add_search_index, drop_search_index)]
