"""Hourly limits on what sends email on someone's behalf (issue 17, points 7 and 8):
sign-ups per client address and per email address, invitations per account and per
organisation, password resets per email address and per client address.

Counters live in Django's cache (settings.CACHES: Redis when REDIS_URL is set, shared
by every web process and machine, where incrementing is atomic; otherwise files under
VAR_DIR, shared by the processes of one machine). A window is a fixed clock hour per
key; a key is hashed so that no address is stored in the cache in clear.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600


class RateLimited(Exception):
    """Too many of these this hour; the message is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:32]
    return f"rate:{scope}:{digest}:{int(time.time() // WINDOW)}"


def hit(scope: str, value, limit: int) -> bool:
    """Count one more `scope` for `value`; False once past `limit` this hour."""
    key = _key(scope, str(value))
    cache.add(key, 0, WINDOW + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW + 60)
        count = 1
    return count <= limit


def check(message: str, *hits: tuple[str, object, int]) -> None:
    """Count every (scope, value, limit) and raise RateLimited(message) if one is past
    its limit. Every counter is incremented, so a refused try counts too."""
    allowed = [hit(scope, value, limit) for scope, value, limit in hits]
    if not all(allowed):
        raise RateLimited(message)


def limit(name: str) -> int:
    return settings.RATE_LIMITS[name]
