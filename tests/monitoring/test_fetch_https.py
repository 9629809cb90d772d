"""HTTPS against a real local TLS server: most sources are HTTPS, and the safe
network backend (connect to the checked address) must still verify the certificate
against the host name the user gave.

A throwaway certificate authority (trustme) signs the server's certificate; the
fetcher trusts it only where a test says so.
"""

import ssl

import pytest
import trustme

from monitoring.net import fetch, robots
from monitoring.net.fetch import fetch as fetch_one
from monitoring.pipeline import poll
from monitoring.types import FetchRequest
from tests.httpserver import LocalServer

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    b"<link>https://localhost/</link><item><title>Boulangerie Dupont primee</title>"
    b"<link>https://localhost/a</link><guid>a</guid><description>Un accueil chaleureux "
    b"et un pain remarquable chez Boulangerie Dupont.</description></item></channel></rss>"
)


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


def tls_server(ca, *names):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    srv = LocalServer(tls=context, url_host="localhost")
    srv.route("/feed.xml", FEED, headers=RSS)
    srv.route("/robots.txt", b"User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
    srv.start()
    return srv


@pytest.fixture
def trusting(ca, monkeypatch):
    """The fetcher trusts the test authority (and nothing else)."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    monkeypatch.setattr(fetch, "_ssl_context", context)
    robots.clear_cache()
    yield
    robots.clear_cache()


@pytest.fixture
def server(ca):
    srv = tls_server(ca, "localhost")
    yield srv
    srv.stop()


def test_it_fetches_a_feed_over_https(server, trusting):
    result = fetch_one(FetchRequest(server.url("/feed.xml")))
    assert result.ok, result.error
    assert (result.status, result.body) == (200, FEED)
    assert server.url().startswith("https://localhost:")


def test_it_refuses_a_certificate_for_another_name(ca, trusting):
    srv = tls_server(ca, "feeds.example.org")
    try:
        result = fetch_one(FetchRequest(srv.url("/feed.xml")))
    finally:
        srv.stop()
    assert result.error_code == "tls"
    assert "TLS" in result.error
    assert not result.body


def test_it_refuses_a_certificate_from_an_unknown_authority(server, monkeypatch):
    # The system's authorities, which never signed the test authority's certificate.
    monkeypatch.setattr(fetch, "_ssl_context", None)
    robots.clear_cache()
    result = fetch_one(FetchRequest(server.url("/feed.xml")))
    assert result.error_code == "tls"


@pytest.mark.django_db
def test_it_polls_an_https_source_end_to_end(server, trusting):
    from monitoring.models import Item
    from reputation.mentions.models import Mention
    from reputation.names.models import TrackedName
    from reputation.orgs.models import Organisation
    from reputation.sources.follow import follow_source

    org = Organisation.objects.create(slug="a", name="A")
    TrackedName.objects.create(organisation=org, label="Boulangerie Dupont")
    source, _ = follow_source(org, server.url("/feed.xml"))
    [report] = poll.poll_now([source])
    assert not report.error, report.error
    assert (report.items_new, report.mentions_new) == (1, 1)
    assert Item.objects.get().url == "https://localhost/a"
    assert Mention.objects.get().organisation == org
