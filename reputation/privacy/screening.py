"""What collection may keep for an organisation: the one rule every path that builds
mentions asks (the poll's finder and the history scans, through
reputation.mentions.finder.save_mentions).

A mention is dropped when its author was erased from that organisation
(ErasedAuthor), or when it was published before the organisation's retention: an
item older than the retention (a history scan, an old item re-published) would
otherwise come back until the next purge.
"""

from django.utils import timezone

from reputation.privacy.models import ErasedAuthor, PrivacySettings, retention_cutoff


def screen(mentions: list) -> list:
    """The mentions this batch may keep (two queries, whatever its size)."""
    if not mentions:
        return mentions
    org_ids = {m.organisation_id for m in mentions}
    now = timezone.now()
    cutoffs = {
        pk: retention_cutoff(months, now)
        for pk, months in PrivacySettings.months_for(org_ids).items()
    }
    rules: dict[int, list[ErasedAuthor]] = {}
    for rule in ErasedAuthor.objects.filter(organisation_id__in=org_ids):
        rules.setdefault(rule.organisation_id, []).append(rule)
    return [m for m in mentions if _kept(m, cutoffs[m.organisation_id], rules)]


def _kept(mention, cutoff, rules) -> bool:
    if mention.published < cutoff:
        return False
    url = mention.item.url if mention.item_id else ""
    return not any(r.matches(mention.author, url) for r in rules.get(mention.organisation_id, ()))
