"""Hand-edited: fewer indexes on Item, each insert paid for them (issue 22).

Django's AlterField for url_hash would also drop unique_item_url (it takes the
partial unique index for the field's own index), so the database side is written
out: drop the plain url_hash index, the source's (unique_item_guid starts with
it) and the LIKE (pattern_ops) indexes no query
uses; the fingerprint index is kept under its Meta name (renamed on PostgreSQL,
recreated elsewhere).
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [
    "monitoring_item_url_hash_92ff3d52",
    "monitoring_item_url_hash_92ff3d52_like",
    "monitoring_item_fingerprint_0e7b51d7_like",
    "monitoring_item_source_id_198636d1",
]
OLD_FP = "monitoring_item_fingerprint_0e7b51d7"


def forwards(apps, schema_editor):
    run = schema_editor.execute
    for name in DROPPED:
        run(f'DROP INDEX IF EXISTS "{name}"')
    if schema_editor.connection.vendor == "postgresql":
        run(f'ALTER INDEX IF EXISTS "{OLD_FP}" RENAME TO "item_fingerprint"')
    else:
        run(f'DROP INDEX IF EXISTS "{OLD_FP}"')
        run('CREATE INDEX "item_fingerprint" ON "monitoring_item" ("fingerprint")')


def backwards(apps, schema_editor):
    run = schema_editor.execute
    run('DROP INDEX IF EXISTS "item_fingerprint"')
    run(f'CREATE INDEX "{OLD_FP}" ON "monitoring_item" ("fingerprint")')
    run(f'CREATE INDEX "{DROPPED[0]}" ON "monitoring_item" ("url_hash")')
    run(f'CREATE INDEX "{DROPPED[3]}" ON "monitoring_item" ("source_id")')
    if schema_editor.connection.vendor == "postgresql":
        run(f'CREATE INDEX "{DROPPED[1]}" ON "monitoring_item" ("url_hash" varchar_pattern_ops)')
        run(f'CREATE INDEX "{DROPPED[2]}" ON "monitoring_item" ("fingerprint" varchar_pattern_ops)')


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(
                    model_name="item",
                    name="source",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="monitoring.source",
                    ),
                ),
                migrations.AlterField(
                    model_name="item",
                    name="fingerprint",
                    field=models.CharField(blank=True, max_length=40),
                ),
                migrations.AlterField(
                    model_name="item",
                    name="url_hash",
                    field=models.CharField(blank=True, max_length=40),
                ),
                migrations.AddIndex(
                    model_name="item",
                    index=models.Index(fields=["fingerprint"], name="item_fingerprint"),
                ),
            ],
        )
    ]
