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
def _fresh_matcher():
    """A test's tracked names are rolled back without a signal: the next test must not
    match with them (the finder trusts its matcher for a few seconds)."""
    yield
    import sys

    finder = sys.modules.get("reputation.mentions.finder")
    if finder is not None:
        finder.invalidate()
