"""Test settings: the embedded defaults, unless DATABASE_URL / REDIS_URL are given.

Worker processes started by tests use this module too (DJANGO_SETTINGS_MODULE).
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("FETCH_ALLOW_PRIVATE_ADDRESSES", "1")
os.environ.setdefault("FETCH_RESPECT_ROBOTS", "1")
os.environ.setdefault(
    "VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)


def _own_redis_database(url: str, n: int) -> str:
    """The Redis database `n` numbers after the one in `url` (redis://host:port/13)."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + n
    if number > 15:
        raise RuntimeError(f"no Redis database {number} for test worker {n} of {url}")
    return urlunsplit(parts._replace(path=f"/{number}"))


# Under pytest-xdist (`-n 2`) each test process, and the Celery workers it starts
# (they inherit its environment and read this module too), has its own VAR_DIR
# (embedded broker, lock files, file cache, SQLite test database) and its own Redis
# database (broker queues, which `purge_broker` empties; host leases; counters): a
# worker started by one test process must never take a task queued by the other,
# nor one process's purge empty the other's queue. Done once: a child process sees
# the marker and keeps what it was given. The test database gets its `_gw<N>`
# suffix from pytest-django.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and os.environ.get("TESTS_ISOLATED_FOR") != _XDIST_WORKER:
    os.environ["TESTS_ISOLATED_FOR"] = _XDIST_WORKER
    os.environ["VAR_DIR"] = os.path.join(os.environ["VAR_DIR"], _XDIST_WORKER)
    if os.environ.get("REDIS_URL"):
        _n = int(_XDIST_WORKER.removeprefix("gw"))
        os.environ["REDIS_URL"] = _own_redis_database(os.environ["REDIS_URL"], _n)

from reputation.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# View tests assert English strings; the product's own default stays French
# (reputation.settings), which tests/test_i18n.py and the browser test check.
LANGUAGE_CODE = "en"
