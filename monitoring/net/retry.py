"""Retry-After: how long a server asks us to wait (429, 503), bounded."""

import email.utils
from datetime import UTC, datetime

# A Retry-After further away than this is taken as this (a week).
RETRY_AFTER_MAX = 7 * 24 * 3600


def parse_retry_after(value: str | None, now: datetime | None = None) -> int | None:
    """Seconds to wait from a Retry-After header (delay in seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), RETRY_AFTER_MAX)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0, min(int(seconds + 0.999), RETRY_AFTER_MAX))
