"""The matcher version moves with anything that changes what the matcher finds.

Connected once (ReputationConfig.ready). Each handler runs inside the writer's
transaction, so a worker that reads the new version also reads the new names.
Bulk updates of tracked names bump it too (TrackedNameQuerySet.update); the links
between names and sources are a declared model (TrackedNameSource), whose deletes,
queryset deletes included, send signals (Django sends none for its automatic
tables), and whose additions through the relation send m2m_changed.
"""

import sys

from django.db.models.signals import m2m_changed, post_delete, post_save

from reputation.names.models import MatcherVersion, TrackedName, TrackedNameSource


def changed(instance=None, **kwargs) -> None:
    MatcherVersion.bump(_organisations(instance))
    # Changes made in this process are seen at once; other workers see them within
    # matchers.RECHECK_SECONDS. (A process that never loaded the finder has nothing
    # to forget, and must not load the sentiment models for it.)
    finder = sys.modules.get("reputation.mentions.finding.matchers")
    if finder is not None:
        finder.invalidate()


def _organisations(instance) -> list[int]:
    """The organisation whose names changed (a name, or a name's link to a source)."""
    if isinstance(instance, TrackedName):
        return [instance.organisation_id]
    if isinstance(instance, TrackedNameSource):
        rows = TrackedName.objects.filter(pk=instance.trackedname_id)
        return list(rows.values_list("organisation_id", flat=True))
    return []


def connect() -> None:
    through = TrackedName.sources.through
    for signal in (post_save, post_delete):
        signal.connect(changed, sender=TrackedName, weak=False, dispatch_uid=f"mv-{signal}")
        signal.connect(changed, sender=through, weak=False, dispatch_uid=f"mv-through-{signal}")
    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid="mv-m2m")
