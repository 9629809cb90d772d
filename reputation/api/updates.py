"""Mention changes asked through the API, applied by the functions the pages use:
Mention.set_status, Mention.correct (MentionQuerySet.correct for many) and the
triage functions, so each change is journaled, moves the rollups and priority,
and teaches the tone exactly as a click would."""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from monitoring.models import Sighting
from reputation.inbox import triage
from reputation.inbox.models import Tag
from reputation.mentions.models import Mention
from reputation.orgs.models import Membership


def _assignee(org, user_id):
    if user_id is None:
        return None
    membership = Membership.objects.select_related("user").filter(organisation=org, user_id=user_id)
    found = membership.first()
    if found is None:
        raise ValidationError({"assignee": [_("Not a member of this organisation.")]})
    return found.user


def apply(org, user, mentions: list[Mention], data: dict) -> int:
    """Apply `data` (a validated MentionChange) to the organisation's mentions;
    returns how many mentions changed."""
    changed = set()
    with transaction.atomic():
        if "assignee" in data:
            who = _assignee(org, data["assignee"])
        add = [
            Tag.objects.get_or_create(organisation=org, name=name.strip())[0]
            for name in data.get("add_tags", ())
            if name.strip()
        ]
        remove = list(Tag.objects.filter(organisation=org, name__in=data.get("remove_tags", ())))
        if "sentiment" in data:
            pks = [m.pk for m in mentions]
            before = set(
                Mention.objects.filter(pk__in=pks).values_list("pk", "sentiment", "corrected_at")
            )
            Mention.objects.filter(pk__in=pks, organisation=org).correct(user, data["sentiment"])
            after = set(
                Mention.objects.filter(pk__in=pks).values_list("pk", "sentiment", "corrected_at")
            )
            changed |= {row[0] for row in before - after}
        for mention in mentions:
            if "sentiment" in data:
                mention.refresh_from_db()
            if "status" in data:
                reply = data.get("reply_url", "")
                if triage.set_status(mention, user, data["status"], reply):
                    changed.add(mention.pk)
            if "assignee" in data and triage.assign(mention, user, who):
                changed.add(mention.pk)
            for tag in add:
                if triage.add_tag(mention, user, tag):
                    changed.add(mention.pk)
            for tag in remove:
                if triage.remove_tag(mention, user, tag):
                    changed.add(mention.pk)
    return len(changed)


def with_texts(mentions: list[Mention]) -> list[Mention]:
    """Give each mention its full `text`: what its own source said (the sighting of
    the item in that source), never another source's copy."""
    pairs = {(m.item_id, m.source_id) for m in mentions if m.source_id}
    sightings = {}
    if pairs:
        items = {item for item, _source in pairs}
        rows = Sighting.objects.filter(item_id__in=items).select_related("item")
        for s in rows:
            if (s.item_id, s.source_id) in pairs:
                sightings[(s.item_id, s.source_id)] = s
    for m in mentions:
        sighting = sightings.get((m.item_id, m.source_id))
        if sighting is not None:
            m.text = sighting.shown_text
        elif m.item.source_id == m.source_id:  # collected from that very source
            m.text = m.item.text
        else:
            m.text = m.snippet
    return mentions
