"""Triage changes on a mention, each recorded as a MentionEvent (who, when, old -> new).

Plain functions, used by the detail page, the bulk actions and anyone else; each
saves only the fields it changes and returns whether anything changed. Status and
sentiment are the mention's own (Mention.set_status, Mention.correct and its bulk
form), since they move its priority, rollups and learnt tone.
"""

from reputation.inbox.models import EventKind, MentionEvent, Note


def set_status(mention, user, status: str, reply_url: str = "") -> bool:
    return mention.set_status(user, status, reply_url)


def _who(user) -> str:
    return "" if user is None else (user.get_full_name() or user.email)


def assign(mention, user, assignee) -> bool:
    """Assign to `assignee` (a member; None for nobody)."""
    if mention.assigned_to_id == (assignee.pk if assignee else None):
        return False
    old = _who(mention.assigned_to) if mention.assigned_to_id else ""
    mention.assigned_to = assignee
    mention.save(update_fields=["assigned_to"])
    MentionEvent.record(mention, user, EventKind.ASSIGNEE, old, _who(assignee))
    return True


def add_tag(mention, user, tag) -> bool:
    if tag.mentions.filter(pk=mention.pk).exists():
        return False
    tag.mentions.add(mention)
    MentionEvent.record(mention, user, EventKind.TAG, "", tag.name)
    return True


def remove_tag(mention, user, tag) -> bool:
    if not tag.mentions.filter(pk=mention.pk).exists():
        return False
    tag.mentions.remove(mention)
    MentionEvent.record(mention, user, EventKind.UNTAG, tag.name, "")
    return True


def add_note(mention, user, text: str) -> Note:
    note = Note.objects.create(mention=mention, author=user, text=text)
    MentionEvent.record(mention, user, EventKind.NOTE, "", text)
    return note
