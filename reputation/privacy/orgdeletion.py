"""Deleting an organisation with everything only it owns.

Its mentions go first, in bounded batches (then the organisation, whose other rows
cascade: names, follows, rollups, alerts, members' access, privacy rows). Sources are
shared: those nobody else follows are deleted; items are shared: those nobody
references any more are deleted (reputation/privacy/cleanup.py). People's accounts
are kept: they may belong to other organisations, and are theirs to close.
The audit event survives, with the organisation's name (for the operator).
"""

from django.db import transaction

from reputation.mentions.models import Mention
from reputation.privacy import cleanup
from reputation.privacy.models import AuditAction, AuditEvent
from reputation.privacy.retention import delete_mentions
from reputation.sources.models import Follow


def delete_organisation(org, user) -> dict:
    source_ids = list(Follow.objects.filter(organisation=org).values_list("source_id", flat=True))
    mentions = delete_mentions(Mention.objects.filter(organisation=org))
    with transaction.atomic():
        AuditEvent.record(org, user, AuditAction.DELETE_ORG, slug=org.slug, mentions=mentions)
        org.delete()
    sources = cleanup.delete_unfollowed_sources(source_ids)
    # Bounded in the request; the nightly purge finishes a very large organisation.
    items = cleanup.delete_unreferenced_items(limit=cleanup.BATCH * 20)
    return {"mentions": mentions, "sources": sources, "items": items}
