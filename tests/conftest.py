import uuid

import pytest

from tests.httpserver import LocalServer


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 serving what the test routes to it."""
    srv = LocalServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in French must not leave French active for the next test."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test starts with no sign-up, invitation or reset counted: a key prefix of
    its own (the cache may be a Redis shared with other runs; nothing is flushed)."""
    cache = dict(settings.CACHES["default"])
    cache["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": cache}
    yield


@pytest.fixture(autouse=True)
def _fresh_matcher():
    """The finder keeps its compiled matcher per process; a test's rollback takes its
    tracked names away but not the cache, which would then match names that no longer
    exist (and the matcher version, rolled back too, cannot tell)."""
    from reputation.mentions.finding import matchers as finder

    finder._Cache.compiled = None
    yield
