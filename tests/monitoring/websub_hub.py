"""A WebSub hub on 127.0.0.1 for tests, following the W3C Recommendation's hub side.

    hub = LocalHub(); hub.start()           hub.url  -> where subscribers POST
    hub.requests                            every subscription request (form fields)
    hub.verify_pending()                    the intent verifications (GET, challenge)
    hub.publish(topic, body)                signed pushes to every verified subscriber

Subscription requests are answered 202 Accepted and verified afterwards, as the spec
says (section 5.3): the hub GETs the callback with hub.mode, hub.topic,
hub.challenge and hub.lease_seconds, and counts the subscription only when the
answer is a 2xx whose body is the challenge.
"""

import hashlib
import hmac
import secrets
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode

from tests.httpserver import LocalServer


class LocalHub:
    def __init__(self, host: str = "127.0.0.1"):
        self.server = LocalServer(host=host)
        self.server.route("/hub", handler=self._request)
        self.requests: list[dict] = []
        self.pending: list[dict] = []
        # (topic, callback) -> {"secret", "lease"}: verified subscriptions only.
        self.subscribers: dict[tuple[str, str], dict] = {}
        self.verifications: list[tuple[dict, int, bytes]] = []

    @property
    def url(self) -> str:
        return self.server.url("/hub")

    def start(self) -> "LocalHub":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def _request(self, req):
        length = int(req.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(req.rfile.read(length).decode()).items()}
        self.requests.append(form)
        ctype = req.headers.get("Content-Type", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            return 400, {}, b"form expected"
        mode = form.get("hub.mode")
        if mode not in ("subscribe", "unsubscribe") or not form.get("hub.topic"):
            return 400, {}, b"hub.mode and hub.topic are required"
        if not form.get("hub.callback", "").startswith(("http://", "https://")):
            return 400, {}, b"hub.callback must be an http(s) URL"
        if len(form.get("hub.secret", "").encode()) >= 200:
            return 400, {}, b"hub.secret must be under 200 bytes"
        self.pending.append(form)
        return 202, {}, b""

    def verify_pending(self) -> list[bool]:
        """Verify every pending request; True for each the subscriber confirmed."""
        outcomes = []
        pending, self.pending = self.pending, []
        for form in pending:
            challenge = secrets.token_urlsafe(16)
            lease = form.get("hub.lease_seconds", "864000")
            query = {
                "hub.mode": form["hub.mode"],
                "hub.topic": form["hub.topic"],
                "hub.challenge": challenge,
            }
            if form["hub.mode"] == "subscribe":
                query["hub.lease_seconds"] = lease
            status, body = get(_with_query(form["hub.callback"], query))
            self.verifications.append((form, status, body))
            confirmed = 200 <= status < 300 and body == challenge.encode()
            key = (form["hub.topic"], form["hub.callback"])
            if confirmed and form["hub.mode"] == "subscribe":
                self.subscribers[key] = {"secret": form.get("hub.secret", ""), "lease": lease}
            elif confirmed:
                self.subscribers.pop(key, None)
            outcomes.append(confirmed)
        return outcomes

    def publish(self, topic: str, body: bytes, secret: str | None = None, **headers):
        """Push `body` to the topic's subscribers; the status each answered.
        `secret` signs with another key (a forger's)."""
        statuses = []
        for (subscribed, callback), sub in list(self.subscribers.items()):
            if subscribed != topic:
                continue
            key = (secret if secret is not None else sub["secret"]).encode()
            signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
            sent = {
                "Content-Type": "application/rss+xml",
                "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
                "X-Hub-Signature": signature,
                **headers,
            }
            statuses.append(post(callback, body, sent)[0])
        return statuses


def _with_query(url: str, query: dict) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(query)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (127.0.0.1)
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def post(url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
