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


def screen(mentions: list, known: dict | None = None) -> list:
    """The mentions this batch may keep (two queries, whatever its size).

    `known`: organisation id -> what the poll already read of it (its
    `retention_months`, None when never set, and whether it `erased_authors`;
    mentions.finding.readers): then no query but the rules of the organisations that
    erased somebody.
    """
    if not mentions:
        return mentions
    org_ids = {m.organisation_id for m in mentions}
    now = timezone.now()
    if known is not None and org_ids <= known.keys():
        months = {
            pk: PrivacySettings.months_or_default(known[pk].retention_months) for pk in org_ids
        }
        erasing = {pk for pk in org_ids if known[pk].erased_authors}
    else:
        months, erasing = PrivacySettings.months_for(org_ids), org_ids
    cutoffs = {pk: retention_cutoff(m, now) for pk, m in months.items()}
    rules: dict[int, list[ErasedAuthor]] = {}
    if erasing:
        for rule in ErasedAuthor.objects.filter(organisation_id__in=erasing):
            rules.setdefault(rule.organisation_id, []).append(rule)
    return [m for m in mentions if _kept(m, cutoffs[m.organisation_id], rules)]


def _kept(mention, cutoff, rules) -> bool:
    if mention.published < cutoff:
        return False
    url = mention.item.url if mention.item_id else ""
    return not any(r.matches(mention.author, url) for r in rules.get(mention.organisation_id, ()))
