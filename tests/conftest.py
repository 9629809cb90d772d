import pytest

from tests.httpserver import LocalServer


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 serving what the test routes to it."""
    srv = LocalServer()
    srv.start()
    yield srv
    srv.stop()
