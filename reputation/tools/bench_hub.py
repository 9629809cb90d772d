"""The alerts benchmark's WebSub side: a hub for a share of the simulated feeds, and
our own callback served over real HTTP (reputation/tools/bench_alerts.py).

The hub follows the spec's hub side: it takes form-encoded subscription requests
(202), verifies the subscriber's intent with a GET and a challenge, and pushes a
feed's new content to the verified callbacks, signed with their secret
(X-Hub-Signature: sha256). It pushes at the simulated instant each item is
published (the clock is set to it during the push, never backwards), as a real hub
pushes within seconds of the publisher's ping.

Our side is the product's own code: subscriptions by monitoring.websub.service
(through the guarded fetcher), the callback view behind Django's WSGI handler on a
threaded HTTP server, the push stored by the poll's pipeline.
"""

import hashlib
import hmac
import secrets
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

HUB_HOST = "127.0.0.10"


class _HubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        hub: Hub = self.server.hub
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        ok = form.get("hub.mode") in ("subscribe", "unsubscribe") and form.get("hub.topic")
        with hub.lock:
            hub.requests += 1
            if ok:
                hub.pending.append(form)
        self.send_response(202 if ok else 400)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Hub:
    """Subscriptions by topic; `tick()` verifies what is pending and pushes what is new."""

    def __init__(self, render, clock):
        self.render, self.clock = render, clock  # render(s, now) -> feed body
        self.lock = threading.Lock()
        self.pending: list[dict] = []
        self.subscribers: dict[str, tuple[str, str]] = {}  # topic -> (callback, secret)
        self.requests = self.verified = self.pushed = self.push_failures = 0
        self.server = ThreadingHTTPServer((HUB_HOST, 0), _HubHandler)
        self.server.daemon_threads = True
        self.server.hub = self

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hub"

    def verify_pending(self) -> None:
        with self.lock:
            pending, self.pending = self.pending, []
        for form in pending:
            challenge = secrets.token_urlsafe(16)
            query = {
                "hub.mode": form["hub.mode"],
                "hub.topic": form["hub.topic"],
                "hub.challenge": challenge,
                "hub.lease_seconds": form.get("hub.lease_seconds", "864000"),
            }
            status, body = _request(form["hub.callback"] + "?" + urlencode(query))
            if not (200 <= status < 300 and body == challenge.encode()):
                continue
            self.verified += 1
            if form["hub.mode"] == "subscribe":
                self.subscribers[form["hub.topic"]] = (form["hub.callback"], form["hub.secret"])
            else:
                self.subscribers.pop(form["hub.topic"], None)

    def push_published(self, items_by_topic: dict[str, tuple[int, list]], since, until) -> None:
        """Push each item published in (since, until] to the topic's subscriber, at
        the item's own simulated instant, oldest first."""
        due = []
        for topic, (s, feed) in items_by_topic.items():
            if topic in self.subscribers:
                due += [(i["published"], s, topic) for i in feed if since < i["published"] <= until]
        for published, s, topic in sorted(due):
            self.clock.now = published
            callback, secret = self.subscribers[topic]
            body = self.render(s, published)
            signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers = {
                "Content-Type": "application/rss+xml",
                "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
                "X-Hub-Signature": signature,
            }
            status, _ = _request(callback, body, headers)
            self.pushed += 1
            self.push_failures += not 200 <= status < 300
        self.clock.now = until


def _request(url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextmanager
def hub_and_callback(render, clock):
    """A hub, and our site served over HTTP; yields (hub, site_root)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    site = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    site.set_app(WSGIHandler())
    hub = Hub(render, clock)
    for server in (site, hub.server):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield hub, f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        for server in (site, hub.server):
            server.shutdown()
            server.server_close()
