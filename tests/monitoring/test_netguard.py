"""SSRF: user-given URLs never reach this machine or its network.

The end-to-end tests run with private addresses refused. One local server plays
"the internet": a wrapper around netguard.is_refused lets exactly its address
(127.0.0.5) through, everything else is judged by the real rules. A second guard
wraps the connect call itself and fails the test if a connection is ever opened
to anything but loopback, so a bug here can never send traffic outside.
"""

import ipaddress
import json
import socket

import pytest

from monitoring.net import guard as netguard
from monitoring.net import robots
from monitoring.net.fetch import FetchError, fetch, post_json
from monitoring.types import FetchRequest
from tests.httpserver import LocalServer

PUBLIC_IP = "127.0.0.5"
RSS_TYPE = {"Content-Type": "application/rss+xml"}


@pytest.fixture(autouse=True)
def _guards(monkeypatch, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    robots.clear_cache()
    real_refused = netguard.is_refused
    real_open = netguard.open_tcp
    opened = []

    def refused(ip, allow_private=False):
        if str(ip) == PUBLIC_IP:
            return False
        return real_refused(ip, allow_private)

    async def open_tcp(address, port, **kwargs):
        assert ipaddress.ip_address(address).is_loopback, f"connect to {address}"
        opened.append(address)
        return await real_open(address, port, **kwargs)

    monkeypatch.setattr(netguard, "is_refused", refused)
    monkeypatch.setattr(netguard, "open_tcp", open_tcp)
    yield opened
    robots.clear_cache()


@pytest.fixture
def public():
    """A server on 127.0.0.5, treated as a public address by these tests."""
    srv = LocalServer(host=PUBLIC_IP)
    srv.start()
    srv.base = f"http://{PUBLIC_IP}:{srv.port}"
    yield srv
    srv.stop()


def _paths(srv):
    return [p for _m, p, _h in srv.requests if p != "/robots.txt"]


# --- the rules ------------------------------------------------------------------------

REFUSED = [
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.1.1",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "224.0.1.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "192.0.0.192",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::7f00:1",
    "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 wrapping 169.254.169.254
    "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata address
    "2001:db8::1",
]
ALLOWED = ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4007:80f::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_it_refuses_local_and_private_addresses(address):
    assert netguard.is_refused(ipaddress.ip_address(address), allow_private=False)


@pytest.mark.parametrize("address", ALLOWED)
def test_it_allows_public_addresses(address):
    assert not netguard.is_refused(ipaddress.ip_address(address), allow_private=False)


@pytest.mark.parametrize(
    "address", ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200"]
)
def test_it_refuses_cloud_metadata_even_when_private_addresses_are_allowed(address):
    assert netguard.is_refused(ipaddress.ip_address(address), allow_private=True)


def test_it_allows_local_addresses_when_told_to():
    for address in ["127.0.0.1", "10.1.2.3", "::1", "192.168.0.10"]:
        assert not netguard.is_refused(ipaddress.ip_address(address), allow_private=True)


@pytest.mark.parametrize(
    "url,code",
    [
        ("file:///etc/passwd", "invalid_url"),
        ("gopher://example.org/", "invalid_url"),
        ("ftp://example.org/feed", "invalid_url"),
        ("http:///nohost", "invalid_url"),
        ("http://user:secret@example.org/", "invalid_url"),
        ("http://example.org:22/", "port"),
        ("http://example.org:25/", "port"),
        ("http://example.org:99999/", "invalid_url"),
        ("http://169.254.169.254/latest/meta-data/", "ssrf"),
        ("http://[::1]:8080/", "ssrf"),
    ],
)
def test_it_refuses_urls_by_their_form(url, code):
    with pytest.raises(netguard.Refused) as caught:
        netguard.check_url(url, allow_private=False)
    assert caught.value.code == code


def test_it_accepts_ordinary_urls():
    for url in [
        "https://example.org/feed",
        "http://example.org:8080/rss",
        "http://example.org:80/",
    ]:
        netguard.check_url(url, allow_private=False)


# --- end to end, private addresses refused -----------------------------------------


def test_it_fetches_from_the_public_server(public, _guards):
    public.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(public.base + "/feed"))
    assert result.ok, result.error
    assert set(_guards) == {PUBLIC_IP}


def test_it_refuses_a_loopback_url(server):
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.error_code == "ssrf"
    assert result.error == "this address points to a private network and is refused"
    assert server.requests == []


def test_it_refuses_a_redirect_to_loopback(public, server):
    server.route("/secret", b"<rss>internal</rss>", headers=RSS_TYPE)
    public.route("/feed", status=302, headers={"Location": server.url("/secret")})
    result = fetch(FetchRequest(public.base + "/feed"))
    assert result.error_code == "ssrf"
    assert result.body == b""
    assert _paths(public) == ["/feed"]
    assert server.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[::ffff:7f00:1]:{port}/secret",
    ],
)
def test_it_refuses_a_redirect_to_metadata_and_mapped_addresses(public, server, target):
    public.route("/feed", status=301, headers={"Location": target.format(port=server.port)})
    result = fetch(FetchRequest(public.base + "/feed"))
    assert result.error_code == "ssrf"
    assert server.requests == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f.0.0.1", "127.1"])
def test_it_refuses_odd_spellings_of_loopback(server, host):
    # Not IP literals for Python, but the resolver turns them into 127.0.0.1.
    result = fetch(FetchRequest(f"http://{host}:{server.port}/feed"))
    assert result.error_code == "ssrf"
    assert server.requests == []


def test_it_refuses_a_name_that_resolves_to_loopback(server):
    # localhost comes from /etc/hosts: no network involved.
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(f"http://localhost:{server.port}/feed"))
    assert result.error_code == "ssrf"
    assert server.requests == []


def test_it_refuses_a_name_with_any_private_address(public, monkeypatch):
    answers = {
        "intranet.example.com": ["10.0.0.7"],
        "mixed.example.com": [PUBLIC_IP, "192.168.1.20"],
    }

    async def resolve(host, port):
        return answers[host]

    monkeypatch.setattr(netguard, "resolve", resolve)
    public.route("/feed", b"<rss/>", headers=RSS_TYPE)
    for host in answers:
        result = fetch(FetchRequest(f"http://{host}:{public.port}/feed"))
        assert result.error_code == "ssrf", host
    assert public.requests == []


def test_it_connects_to_the_address_it_checked(public, monkeypatch, _guards):
    # A rebinding DNS answers a public address first, a private one afterwards:
    # the connection must go to the first answer, with the name as Host header.
    calls = []

    async def resolve(host, port):
        calls.append(host)
        return [PUBLIC_IP] if len(calls) == 1 else ["10.0.0.1"]

    monkeypatch.setattr(netguard, "resolve", resolve)
    public.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(f"http://feeds.example.com:{public.port}/feed"))
    assert result.ok, result.error
    assert _guards and set(_guards) == {PUBLIC_IP}
    assert len(calls) == 1  # one resolution, robots.txt and the feed on one connection
    assert public.requests[-1][2]["Host"] == f"feeds.example.com:{public.port}"


def test_it_reports_a_name_that_does_not_resolve(monkeypatch):
    def fail(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(netguard, "_getaddrinfo", fail)
    result = fetch(FetchRequest("http://no-such-host.example.com/feed"))
    assert result.error_code == "dns"
    assert result.error == "the address could not be found (DNS)"


def test_it_refuses_metadata_even_when_private_addresses_are_allowed(server, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    server.route("/feed", status=302, headers={"Location": "http://169.254.169.254/latest/"})
    result = fetch(FetchRequest(server.url("/feed")))
    assert result.error_code == "ssrf"


def test_it_fetches_loopback_when_private_addresses_are_allowed(server, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    server.route("/feed", b"<rss/>", headers=RSS_TYPE)
    result = fetch(FetchRequest(f"http://localhost:{server.port}/feed"))
    assert result.ok, result.error


# --- post_json: the public way for other senders (alert webhooks) ---------------------


def _receiver(srv, got):
    def receive(req):
        length = int(req.headers.get("Content-Length", "0"))
        got.append(json.loads(req.rfile.read(length)))
        return 200, {"Content-Type": "text/plain"}, b"ok"

    srv.route("/hook", handler=receive)


def test_it_posts_json_to_the_public_server(public, _guards):
    got = []
    _receiver(public, got)
    assert post_json(public.base + "/hook", {"text": "é"}) == 200
    assert got == [{"text": "é"}]
    assert set(_guards) == {PUBLIC_IP}


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433"])
def test_it_refuses_a_post_to_loopback(server, host):
    got = []
    _receiver(server, got)
    with pytest.raises(FetchError) as caught:
        post_json(f"http://{host}:{server.port}/hook", {"text": "x"})
    assert caught.value.code == "ssrf"
    assert server.requests == [] and got == []


def test_it_refuses_a_post_to_a_name_rebound_to_a_private_address(public, monkeypatch):
    async def resolve(host, port):
        return [PUBLIC_IP, "10.0.0.1"]

    monkeypatch.setattr(netguard, "resolve", resolve)
    with pytest.raises(FetchError) as caught:
        post_json(f"http://hooks.example.com:{public.port}/hook", {"text": "x"})
    assert caught.value.code == "ssrf"
    assert public.requests == []


def test_it_does_not_follow_a_redirect_of_a_post(public, server):
    server.route("/secret", b"internal")
    public.route("/hook", status=307, headers={"Location": server.url("/secret")})
    assert post_json(public.base + "/hook", {"text": "x"}) == 307
    assert server.requests == []


def test_it_posts_to_loopback_when_private_addresses_are_allowed(server, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    got = []
    _receiver(server, got)
    assert post_json(server.url("/hook"), {"text": "x"}) == 200
    assert got == [{"text": "x"}]
