"""Every model of the product, one subpackage per capability (Django finds them here)."""

from reputation.accounts.models import Invitation, PendingSignup
from reputation.alerts.models import (
    AlertPreference,
    AlertSettings,
    MentionScan,
    Notification,
    Webhook,
)
from reputation.dashboard.models import DailyAspect, DailyAuthor, DailyCount, DailySource
from reputation.inbox.models import MentionEvent, Note, Tag
from reputation.mentions.models import (
    HistoryScan,
    Mention,
    MentionStatus,
    Sentiment,
    ToneAdapter,
)
from reputation.names.models import MatcherVersion, TrackedKind, TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from reputation.sources.models import Follow

__all__ = [
    "AlertPreference",
    "AlertSettings",
    "MentionScan",
    "Notification",
    "Webhook",
    "DailyAspect",
    "DailyAuthor",
    "DailyCount",
    "DailySource",
    "Follow",
    "Invitation",
    "PendingSignup",
    "MentionEvent",
    "Note",
    "Tag",
    "HistoryScan",
    "MatcherVersion",
    "Membership",
    "Mention",
    "MentionStatus",
    "Organisation",
    "Role",
    "Sentiment",
    "TrackedKind",
    "ToneAdapter",
    "TrackedName",
]
