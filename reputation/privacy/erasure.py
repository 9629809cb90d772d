"""A person's erasure from one organisation (GDPR art. 17, or an objection upheld).

Their mentions are DELETED, not anonymised: a mention is the person's own words
(title, snippet) under an address that leads back to them; blanking the author
would leave both. The dashboard's counts move exactly as if the mentions had never
been collected (the same Delta the finder adds with, with -1), and their name leaves
the authors' rollup. An ErasedAuthor rule keeps them out of this organisation's
future collection (reputation/privacy/screening.py); other organisations, which are
controllers of their own, are not touched.
"""

from django.db import transaction
from django.db.models import Q

from reputation.dashboard import rollups
from reputation.dashboard.models import DailyAuthor
from reputation.mentions.models import Mention
from reputation.privacy.models import AuditAction, AuditEvent, ErasedAuthor, fold
from reputation.privacy.retention import BATCH


def matching_mentions(org, rule: ErasedAuthor):
    """The organisation's mentions this rule covers (the database narrows them, the
    rule's own `matches` decides, so that both paths apply the same comparison)."""
    wanted = Q()
    if rule.name_key:
        wanted |= _words(rule.name_key)
    if rule.profile_url:
        wanted |= Q(item__url__startswith=rule.profile_url.strip().rstrip("/"))
    if not wanted:
        return Mention.objects.none()
    candidates = Mention.objects.filter(organisation=org).filter(wanted).select_related("item")
    return [
        m.pk
        for m in candidates.only("pk", "author", "item__url")
        if rule.matches(m.author, m.item.url)
    ]


def _words(key: str) -> Q:
    """Rows whose author contains every word of the name (however spaced)."""
    wanted = Q()
    for word in key.split():
        wanted &= Q(author__icontains=word)
    return wanted


def erase(org, user, name: str = "", profile_url: str = "") -> tuple[ErasedAuthor, int]:
    """Erase a person from the organisation; returns the rule and how many mentions
    were deleted. Audited."""
    if not (name.strip() or profile_url.strip()):
        raise ValueError("a name or a profile address is needed")
    with transaction.atomic():
        rule = ErasedAuthor(
            organisation=org,
            name=name.strip()[:300],
            profile_url=profile_url.strip(),
            created_by=user,
        )
        rule.save()
        ids = matching_mentions(org, rule)
        authors = set()
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            rows = list(Mention.objects.filter(pk__in=batch).values(*rollups.FIELDS))
            delta = rollups.Delta()
            tz = org.zone
            for row in rows:
                delta.add(row, tz, -1)
                authors.add(fold(row["author"]))
            delta.write()
            Mention.objects.filter(pk__in=batch).delete()
        if rule.name_key:
            authors.add(rule.name_key)
        _forget_authors(org, authors - {""})
        AuditEvent.record(
            org,
            user,
            AuditAction.ERASE,
            # The rule, not the person's name: the log must not spread what was erased
            # (the rule itself keeps it, to keep them out of collection).
            rule=str(rule.code),
            mentions=len(ids),
        )
    return rule, len(ids)


def _forget_authors(org, keys: set[str]) -> None:
    """Delete the authors' rollup rows of these (folded) names, whatever their spelling."""
    if not keys:
        return
    rows = DailyAuthor.objects.filter(organisation=org)
    narrowed = Q()
    for key in keys:
        narrowed |= _words(key)
    doomed = [
        pk
        for pk, author in rows.filter(narrowed).values_list("pk", "author")
        if fold(author) in keys
    ]
    DailyAuthor.objects.filter(pk__in=doomed).delete()
