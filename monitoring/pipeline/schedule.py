"""When to poll a source next: adaptive interval on success, backoff on errors.

Like NewsBlur: a source that publishes often is polled often, a quiet one rarely,
always within [POLL_MIN_INTERVAL, POLL_MAX_INTERVAL]; errors back off exponentially
and, past POLL_PAUSE_AFTER_ERRORS in a row, the source is paused and its error shown.
"""

import random
from datetime import datetime, timedelta

from django.conf import settings


def default_interval() -> int:
    """The first interval of a new source (POLL_DEFAULT_INTERVAL, within the bounds)."""
    return clamp(settings.POLL_DEFAULT_INTERVAL)


def clamp(seconds: float) -> int:
    return int(min(settings.POLL_MAX_INTERVAL, max(settings.POLL_MIN_INTERVAL, seconds)))


def jitter(seconds: int) -> timedelta:
    # Spread polls so that thousands of sources added at once do not stay in step.
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def interval_after_success(interval: int, new_items: int, published: list[datetime]) -> int:
    """Shorter when new items arrived, longer when none did.

    When the feed carries dates, aim at about two new items per poll: the interval
    becomes half the median gap between the recent items.
    """
    dated = sorted(p for p in published if p is not None)[-20:]
    if len(dated) >= 3:
        gaps = sorted((b - a).total_seconds() for a, b in zip(dated, dated[1:], strict=False))
        median = gaps[len(gaps) // 2]
        if median > 0:
            target = median / 2
            # Move halfway towards the target: one odd burst does not swing the schedule.
            return clamp((interval + target) / 2)
    if new_items:
        return clamp(interval * 0.75)
    return clamp(interval * 1.25)


def delay_after_error(interval: int, error_count: int, retry_after: int | None) -> int:
    """Exponential backoff from the usual interval; Retry-After is honoured."""
    delay = interval * (2 ** min(error_count, 8))
    if retry_after:
        delay = max(delay, retry_after)
    return int(min(delay, settings.POLL_MAX_INTERVAL * 4))


def should_pause(error_count: int) -> bool:
    return error_count >= settings.POLL_PAUSE_AFTER_ERRORS
