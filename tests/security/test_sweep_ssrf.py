"""Issue 22: the SSRF matrix. Every way an address typed or fetched enters the service
(a source added, a feed polled, a signed or Slack webhook delivered, a webhook typed
through the API then delivered, a WebSub hub
subscribed to, a diagnostic's website, and each reached through a redirect) × every spelling of a
local or private address: nothing is ever connected to. Addresses found in fetched
pages too: the feeds a website announces (the suggested sources, a diagnostic, a
website added) and the links of a listing read in full, each page served by the
public server.

As tests/monitoring/test_netguard.py: private addresses are refused (the test
settings allow them for the other tests), one server on 127.0.0.5 plays a public
site (the only address let through), and the connect call is wrapped to record every
address the service opens. The hostile addresses point at a real server on
127.0.0.1, which must receive nothing. Names are answered by a resolver stub (the
guard's `_getaddrinfo` seam): `private.test` is 10.0.0.1, and so on.

Each entry is tried first with the public server: it does fetch (a matrix of paths
that fetch nothing would prove nothing)."""

import ipaddress
import itertools
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from monitoring.models import Source
from monitoring.net import guard as netguard
from monitoring.net import robots
from monitoring.pipeline import poll
from monitoring.websub.models import Subscription
from monitoring.websub.service import request as websub_request
from reputation.alerts import outbox
from reputation.alerts.models import Notification, NotificationKind, Webhook, WebhookKind
from reputation.api.models import ApiKey, scopes_for
from reputation.diagnostic import collect
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation, Role
from tests.base import make_user
from tests.httpserver import LocalServer

PUBLIC_IP = "127.0.0.5"
RSS = {"Content-Type": "application/rss+xml"}
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>one</title><link>https://a.example/1</link><guid>1</guid></item>
</channel></rss>"""
# Names the stub resolves (everything else goes to the real resolver: localhost).
NAMES = {
    "private.test": ["10.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],  # one public answer, one not
}
# Every host spelling, with the loopback server's port.
HOSTS = [
    "127.0.0.1",
    "127.1",
    "0.0.0.0",
    "2130706433",  # decimal
    "0177.0.0.1",  # octal
    "0x7f.0.0.1",  # hexadecimal
    "0x7f000001",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "localhost",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",
    "169.254.169.254",
    "[fd00:ec2::254]",
    "[fe80::1]",
    *NAMES,
]


@pytest.fixture(autouse=True)
def opened(monkeypatch, settings, public):
    """Every address the service connects to; only the public server's is allowed."""
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    settings.DIAGNOSTIC_SEARCHES = [("google_news", public.base + "/search?q={q}")]
    robots.clear_cache()
    real_refused, real_open = netguard.is_refused, netguard.open_tcp
    real_dns = netguard._getaddrinfo
    found = []

    def refused(ip, allow_private=False):
        return False if str(ip) == PUBLIC_IP else real_refused(ip, allow_private)

    async def open_tcp(address, port, **kwargs):
        found.append(address)
        assert ipaddress.ip_address(address).is_loopback, f"connect to {address}"
        return await real_open(address, port, **kwargs)

    def getaddrinfo(host, port):
        return NAMES[host] if host in NAMES else real_dns(host, port)

    monkeypatch.setattr(netguard, "is_refused", refused)
    monkeypatch.setattr(netguard, "open_tcp", open_tcp)
    monkeypatch.setattr(netguard, "_getaddrinfo", getaddrinfo)
    yield found
    robots.clear_cache()


@pytest.fixture(scope="module")
def local():
    """The machine's own server: what an attacker wants to reach."""
    srv = LocalServer()
    srv.start()
    srv.route("/feed", FEED, headers=RSS)
    srv.route("/hook", b"ok")
    srv.route("/linked", FEED, headers=RSS)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def public():
    srv = LocalServer(host=PUBLIC_IP)
    srv.start()
    srv.base = f"http://{PUBLIC_IP}:{srv.port}"
    srv.route("/feed", FEED, headers=RSS)
    srv.route("/hook", b"ok")
    srv.route("/robots.txt", b"", status=404)
    srv.route("/search", FEED, headers=RSS)
    srv.route("/linked", FEED, headers=RSS)  # the address a fetched page points at
    yield srv
    srv.stop()


@pytest.fixture
def member(db, public):
    org = Organisation.objects.create(slug="ssrf", name="SSRF")
    user = make_user("ssrf@example.org")
    owner = Membership.objects.create(user=user, organisation=org, role=Role.OWNER)
    client = Client()
    client.force_login(user)
    return SimpleNamespace(org=org, owner=owner, client=client, public=public)


def _add(kind):
    def enter(member, url):
        member.client.post(reverse(kind, args=[member.org.code]), {"url": url, "name": "x"})

    return enter


def _poll(member, url):
    poll.poll_now([Source.objects.create(url=url)])


def _webhook(kind):
    def enter(member, url):
        org = member.org
        hook = Webhook.objects.create(organisation=org, url=url, kind=kind)
        n = Notification.objects.create(organisation=org, webhook=hook, kind=NotificationKind.TEST)
        outbox.send_one(n.pk)

    return enter


def _api_webhook(member, url):
    # Typed through the API with an owner's key, then a delivery to it.
    _key, token = ApiKey.issue(member.owner, "ssrf", sorted(scopes_for(Role.OWNER)))
    answer = Client().post(
        reverse("api-webhooks"),
        {"url": url, "kind": WebhookKind.JSON},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    if answer.status_code == 201:
        hook = Webhook.objects.get(organisation=member.org, code=answer.json()["id"])
        n = Notification.objects.create(
            organisation=member.org, webhook=hook, kind=NotificationKind.TEST
        )
        outbox.send_one(n.pk)
    else:
        assert answer.status_code == 400, answer.content


def _diagnostic(member, url):
    # The visitor's website; the searches go to the public server (settings below).
    collect.collect("Boulangerie Dupont", "Lyon", url, "fr", lambda *args: None)


def _websub(member, url):
    source = Source.objects.create(url="https://feeds.example/feed.xml")
    sub = Subscription.objects.create(source=source, hub=url, topic=source.url)
    websub_request(sub, "subscribe")


PAGES = itertools.count()


def _page(member, head: str = "", body: str = "") -> str:
    """A page of the public server (a new address each time: the suggestions cache
    what a website gave)."""
    path = f"/page/{next(PAGES)}/"
    html = (
        f"<!DOCTYPE html><html><head><title>Dupont</title>{head}</head><body>{body}</body></html>"
    )
    member.public.route(path, html.encode(), headers={"Content-Type": "text/html"})
    return member.public.base + path


def _announcing(url: str) -> str:
    return f'<link rel="alternate" type="application/rss+xml" title="News" href="{url}">'


def _suggested(member, url):
    # The suggested sources page of a name whose website announces `url` as its feed.
    website = _page(member, head=_announcing(url))
    tracked = TrackedName.objects.create(organisation=member.org, label="Dupont", website=website)
    page = member.client.get(reverse("suggested-sources", args=[member.org.code, tracked.code]))
    assert page.status_code == 200


def _diagnostic_feed(member, url):
    website = _page(member, head=_announcing(url))
    collect.collect("Boulangerie Dupont", "Lyon", website, "fr", lambda *args: None)


def _website_feed(member, url):
    _add("add-website")(member, _page(member, head=_announcing(url)))


def _listing_link(member, url):
    # A listing read in full (follow_links): its item links to `url`.
    listing = _page(member, body=f'<div class="card"><a href="{url}">Un avis</a></div>')
    config = {"item": "div.card", "link": "a", "follow_links": True}
    poll.poll_now([Source.objects.create(url=listing, kind="html", config=config)])


# Each entry, and the path on both servers it asks for.
ENTRIES = {
    "add-feed": (_add("add-feed"), "/feed"),
    "add-website": (_add("add-website"), "/feed"),
    "poll": (_poll, "/feed"),
    "webhook-slack": (_webhook(WebhookKind.SLACK), "/hook"),
    "webhook-signed": (_webhook(WebhookKind.JSON), "/hook"),
    "api-webhook": (_api_webhook, "/hook"),
    "websub-hub": (_websub, "/hook"),
    "diagnostic-site": (_diagnostic, "/feed"),
    # Addresses found in a fetched page.
    "suggested-feed": (_suggested, "/linked"),
    "diagnostic-feed": (_diagnostic_feed, "/linked"),
    "website-feed": (_website_feed, "/linked"),
    "listing-link": (_listing_link, "/linked"),
}
# Only GETs follow redirects (a webhook's or a hub's POST never does).
FOLLOWS = {
    "add-feed",
    "add-website",
    "poll",
    "diagnostic-site",
    "suggested-feed",
    "diagnostic-feed",
    "website-feed",
    "listing-link",
}


@pytest.mark.parametrize("entry", ENTRIES)
def test_it_reaches_the_public_server_through_each_entry(entry, member, public, opened):
    enter, path = ENTRIES[entry]
    before = len(public.requests)
    enter(member, public.base + path)
    assert path in [p for _m, p, _h in public.requests[before:]], entry
    assert set(opened) == {PUBLIC_IP}


# Slack and signed webhooks are one entry (the delivery's POST), told apart only by
# what the body says: the matrix tries it once, the public test both.
MATRIX = [e for e in ENTRIES if e != "webhook-slack"]


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("entry", MATRIX)
def test_it_connects_to_no_local_address_through_any_entry(entry, host, member, local, opened):
    enter, path = ENTRIES[entry]
    before = len(local.requests)
    enter(member, f"http://{host}:{local.port}{path}")
    assert set(opened) <= {PUBLIC_IP}  # the diagnostic's searches
    assert local.requests[before:] == []


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "[::ffff:127.0.0.1]", *NAMES])
@pytest.mark.parametrize("entry", sorted(FOLLOWS))
def test_it_follows_no_redirect_to_a_local_address(entry, host, member, public, local, opened):
    enter, path = ENTRIES[entry]
    hop = f"/to/{entry}/{host.strip('[]')}"
    public.route(hop, status=302, headers={"Location": f"http://{host}:{local.port}{path}"})
    before = len(local.requests)
    enter(member, public.base + hop)
    assert set(opened) <= {PUBLIC_IP}
    assert local.requests[before:] == []
