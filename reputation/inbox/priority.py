""" "What to answer first": one number per mention, stored, so the inbox can page
through it by keyset like through dates.

The priority is the publication time in seconds, pushed forward by what makes a
mention urgent: a negative tone counts as if it had been published three days
later, weighty evidence up to two days later (the same weight as the alerts'
severity: monitoring/sources/kinds.py), and a mention nobody has handled
yet ten years later than one that is done. Sorting by it, highest first, shows
the fresh negative mentions from weighty sources on top, then older ones, and
the handled ones at the end. Because every boost is a fixed shift of time, the
order never goes stale: no nightly recomputation, a yesterday's complaint still
outranks today's neutral news, and a new mention lands where it belongs.
"""

from monitoring.sources import kinds

DAY = 86400

# Statuses that still wait for someone (see MentionStatus).
OPEN_STATUSES = ("new", "todo")
OPEN_BOOST = 3650 * DAY
NEGATIVE_BOOST = 3 * DAY
CHECK_BOOST = DAY // 2  # the tone is uncertain: a person should look

SOURCE_DAYS = 2  # the weightiest evidence (a rated review) counts two days

# The fields the priority is computed from: a save of any of them recomputes it
# (Mention.save), so no caller computes it by hand.
PRIORITY_INPUTS = frozenset({"published", "status", "sentiment", "needs_review", "source"})


def evidence_weight(mention) -> float:
    """How much the mention weighs as evidence, from 0 to 1: a rated review the
    most, else its source's kind. Alert severity reads the same (Mention.source_weight)."""
    kind = mention.source.kind if mention.source_id is not None else None
    rated = mention.rating is not None
    return kinds.weight(kind, rated=rated)


def compute_priority(mention) -> int:
    """The mention's priority from its own fields and its weight as evidence (the
    poll passes source and item along, so scoring thousands costs no query)."""
    if mention.published is None:
        return 0
    boost = 0
    if mention.status in OPEN_STATUSES:
        boost += OPEN_BOOST
    if mention.sentiment == "negative":
        boost += NEGATIVE_BOOST
    if mention.needs_review:
        boost += CHECK_BOOST
    boost += int(evidence_weight(mention) * SOURCE_DAYS * DAY)
    return int(mention.published.timestamp()) + boost
