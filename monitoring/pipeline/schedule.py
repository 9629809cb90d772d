"""When to poll a source next: adaptive interval on success, backoff on errors.

Like NewsBlur: a source that publishes often is polled often, a quiet one rarely,
always within [POLL_MIN_INTERVAL, POLL_MAX_INTERVAL]; errors back off exponentially
up to POLL_ERROR_MAX_DELAY and, past POLL_PAUSE_AFTER_ERRORS in a row over
POLL_PAUSE_AFTER_HOURS, the source is paused and its error shown.
"""

import random
from datetime import datetime, timedelta

from django.conf import settings


def default_interval() -> int:
    """The first interval of a new source (POLL_DEFAULT_INTERVAL, within the bounds)."""
    return clamp(settings.POLL_DEFAULT_INTERVAL)


def clamp(seconds: float, cap: int | None = None) -> int:
    """Within [POLL_MIN_INTERVAL, POLL_MAX_INTERVAL], and at most `cap` (a source's
    max_interval) when it has one."""
    upper = settings.POLL_MAX_INTERVAL if not cap else min(cap, settings.POLL_MAX_INTERVAL)
    return int(min(upper, max(settings.POLL_MIN_INTERVAL, seconds)))


def jitter(seconds: int) -> timedelta:
    # Spread polls so that thousands of sources added at once do not stay in step.
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def interval_after_success(
    interval: int, new_items: int, published: list[datetime], cap: int | None = None
) -> int:
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
            return clamp((interval + target) / 2, cap)
    if new_items:
        return clamp(interval * 0.75, cap)
    return clamp(interval * 1.25, cap)


def delay_after_error(interval: int, error_count: int, retry_after: int | None) -> int:
    """Exponential backoff from the usual interval, bounded by POLL_ERROR_MAX_DELAY
    (or the usual interval when longer): a site that fails for a day is still tried
    every hour, so it is read again soon after it recovers. Retry-After is honoured."""
    delay = min(interval * (2 ** min(error_count, 8)), max(interval, settings.POLL_ERROR_MAX_DELAY))
    if retry_after:
        delay = max(delay, retry_after)
    return int(min(delay, settings.POLL_MAX_INTERVAL * 4))


def should_pause(error_count: int, failing_for: timedelta) -> bool:
    """Paused after POLL_PAUSE_AFTER_ERRORS errors in a row spanning at least
    POLL_PAUSE_AFTER_HOURS: a dead address stops being polled, a site down for a day
    does not."""
    return error_count >= settings.POLL_PAUSE_AFTER_ERRORS and failing_for >= timedelta(
        hours=settings.POLL_PAUSE_AFTER_HOURS
    )
