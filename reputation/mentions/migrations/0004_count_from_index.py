"""The inbox counts one name's mentions of one tone from an index alone (issue 22).

The new index is built before the old one goes: the inbox never lacks one.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mentions', '0003_fewer_indexes'),
        ('monitoring', '0002_fewer_indexes'),
        ('names', '0001_initial'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='mention',
            index=models.Index(fields=['organisation', 'sentiment', '-published'], include=('tracked_name',), name='mention_org_sentiment_name'),
        ),
        migrations.RemoveIndex(
            model_name='mention',
            name='mention_org_sentiment',
        ),
    ]
