"""Requests per key per minute, counted in Django's cache (shared by every web
process when REDIS_URL is set), with the `RateLimit-*` headers of the IETF draft
on every answer and `Retry-After` on a 429.

A fixed window per key: simple, and the headers say exactly when it resets.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW = 60


@dataclass
class Quota:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0

    def headers(self) -> dict:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(self.remaining, 0)),
            "RateLimit-Reset": str(self.reset),
        }


def take(key_id: int, now: float | None = None) -> Quota:
    """Count one request of this key; `exceeded` once past the limit this window."""
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    name = f"api-rate:{key_id}:{window}"
    cache.add(name, 0, WINDOW + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, WINDOW + 5)
        count = 1
    limit = settings.API_REQUESTS_PER_MINUTE
    reset = max(1, int((window + 1) * WINDOW - now))
    return Quota(limit, limit - count, reset)
