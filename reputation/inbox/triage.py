"""Triage changes on a mention, each recorded as a MentionEvent (who, when, old -> new).

Plain functions, used by the detail page, the bulk actions and anyone else; each
saves only the fields it changes and returns whether anything changed.
"""

from reputation.inbox.models import EventKind, MentionEvent, Note
from reputation.inbox.priority import compute_priority
from reputation.mentions.models import MentionStatus


def set_status(mention, user, status: str, reply_url: str = "") -> bool:
    reply_url = reply_url if status == MentionStatus.ANSWERED else mention.reply_url
    if status == mention.status and reply_url == mention.reply_url:
        return False
    old_status, old_reply = mention.status, mention.reply_url
    mention.status, mention.reply_url = status, reply_url
    mention.priority = compute_priority(mention)
    mention.save(update_fields=["status", "reply_url", "priority"])
    if old_status != status:
        MentionEvent.record(mention, user, EventKind.STATUS, old_status, status)
    if old_reply != reply_url:
        MentionEvent.record(mention, user, EventKind.REPLY, old_reply, reply_url)
    return True


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


def correct(mention, user, label: str) -> bool:
    if label == "auto" and not mention.corrected:
        return False
    if label == mention.sentiment and mention.corrected:
        return False
    mention.correct(user, label)
    return True
