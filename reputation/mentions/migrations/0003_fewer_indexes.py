"""Hand-edited: two indexes fewer on Mention, each insert paid for them (issue 22).

mention_org_published is the prefix of mention_org_pub_id, and the organisation
foreign key's own index is the prefix of unique_mention and of every Meta index.
The database side only drops them (Django's AlterField would drop and re-check the
foreign key constraint over the whole table).
"""

import django.db.models.deletion
from django.db import migrations, models

ORG_INDEX = "mentions_mention_organisation_id_b4f571df"


class Migration(migrations.Migration):
    dependencies = [
        ("mentions", "0002_search_index"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="mention", name="mention_org_published"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{ORG_INDEX}"',
                    f'CREATE INDEX "{ORG_INDEX}" ON "mentions_mention" ("organisation_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="mention",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentions",
                        to="orgs.organisation",
                    ),
                )
            ],
        ),
    ]
