""" "What to answer first": one number per mention, stored, so the inbox can page
through it by keyset like through dates.

The priority is the publication time in seconds, pushed forward by what makes a
mention urgent: a negative tone counts as if it had been published three days
later, a weighty source up to two days later, and a mention nobody has handled
yet ten years later than one that is done. Sorting by it, highest first, shows
the fresh negative mentions from weighty sources on top, then older ones, and
the handled ones at the end. Because every boost is a fixed shift of time, the
order never goes stale: no nightly recomputation, a yesterday's complaint still
outranks today's neutral news, and a new mention lands where it belongs.
"""

DAY = 86400

# Statuses that still wait for someone (see MentionStatus).
OPEN_STATUSES = ("new", "todo")
OPEN_BOOST = 3650 * DAY
NEGATIVE_BOOST = 3 * DAY
CHECK_BOOST = DAY // 2  # the tone is uncertain: a person should look

# How much a source weighs, in days: review pages are read by customers choosing
# a shop, news reaches many people, social and forum posts fewer.
NEWS_PRESETS = ("google_news", "bing_news")


def source_weight(source) -> float:
    if source is None:
        return 0.5
    if source.kind == "html":
        return 2.0
    if source.kind == "search":
        preset = (source.config or {}).get("preset", "")
        return 1.5 if preset in NEWS_PRESETS else 0.5
    if source.kind == "forum":
        return 0.75
    return 1.0  # press and blog feeds


def compute_priority(mention) -> int:
    """The mention's priority from its own fields and its source (the poll passes
    the source along, so scoring thousands of mentions costs no query)."""
    if mention.published is None:
        return 0
    boost = 0
    if mention.status in OPEN_STATUSES:
        boost += OPEN_BOOST
    if mention.sentiment == "negative":
        boost += NEGATIVE_BOOST
    if mention.needs_review:
        boost += CHECK_BOOST
    source = mention.source if mention.source_id is not None else None
    boost += int(source_weight(source) * DAY)
    return int(mention.published.timestamp()) + boost
