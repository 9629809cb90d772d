"""The matcher version moves with anything that changes what the matcher finds.

Connected once (NamesConfig.ready). Each handler runs inside the writer's
transaction, so a worker that reads the new version also reads the new names.
Bulk updates of tracked names bump it too (TrackedNameQuerySet.update); the links
between names and sources are a declared model (TrackedNameSource), whose deletes,
queryset deletes included, send signals (Django sends none for its automatic
tables), and whose additions through the relation send m2m_changed.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from reputation.names.models import MatcherVersion, TrackedName, TrackedNameSource

# Sent after the version moved: the mention finder (MentionsConfig.ready) forgets its
# matcher, so changes made in this process are seen at once.
matching_changed = Signal()


def changed(instance=None, **kwargs) -> None:
    MatcherVersion.bump(_organisations(instance))
    # Changes made in this process are seen at once; other workers see them within
    # finder.RECHECK_SECONDS.
    matching_changed.send(sender=TrackedName)


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
