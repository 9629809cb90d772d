"""The benchmarks' feed server (bench poll, bench round).

Standard library only, and no Django: the server runs in its own process, which
imports this module without Django being set up.

Two ways to serve: fixed bodies (`feed_server`, bench poll), or bodies built on each
request from real items (`live_feed_server`, bench round: 10,000 feeds of three rounds
would be a gigabyte held in memory), where the bench publishes new items between
rounds and reads how many times each feed was asked for.
"""

import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from reputation.tools.feed_bodies import ITEMS_PER_FEED, feed_body


class _Feeds:
    """What every host's server answers, and the count of what it was asked."""

    def __init__(self, folder: str):
        plan = Path(folder, "plan.json")
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.newest = ITEMS_PER_FEED - 1
        if plan.exists():
            data = json.loads(plan.read_text())
            self.pool = [tuple(item) for item in data["pool"]]
            self.tracked = data["tracked"]
            self.now = datetime.fromisoformat(data["now"]).astimezone(UTC)
            self.bodies = None
        else:
            self.bodies = {p.name: p.read_bytes() for p in Path(folder).iterdir()}

    def body(self, name: str) -> tuple[bytes | None, str]:
        """The body of feed `name` and its ETag."""
        with self.lock:
            self.counts[name] += 1
            newest = self.newest
        if self.bodies is not None:
            return self.bodies.get(name), f'"{name}"'
        index = name.removesuffix(".xml")
        if not index.isdigit() or int(index) >= len(self.tracked):
            return None, ""
        i = int(index)
        return feed_body(i, self.pool, self.now, self.tracked[i], newest), f'"{name}-{newest}"'


class _FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the body would wait for
    # the client's delayed ACK (40 ms) and the bench would measure that instead.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        time.sleep(self.server.latency)
        body, etag = None, ""
        if self.path.startswith("/feed/"):
            body, etag = self.server.feeds.body(self.path.rsplit("/", 1)[-1])
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # listen() backlog: read when the socket opens


def _serve(folder: str, hosts: list[str], latency: float) -> None:
    """Child process: serve, print the ports as one JSON line, then obey stdin's lines
    ("newest N": publish up to item N; "counts": print and reset the requests per
    feed) until it closes."""
    feeds = _Feeds(folder)
    servers = []
    for host in hosts:
        srv = _FeedServer((host, 0), _FeedHandler)
        srv.feeds, srv.latency = feeds, latency
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    print(json.dumps([srv.server_address[1] for srv in servers]), flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        with feeds.lock:
            if command == "newest":
                feeds.newest = int(arg)
                answer = "ok"
            elif command == "counts":
                answer = json.dumps(dict(feeds.counts))
                feeds.counts.clear()
            else:
                answer = json.dumps({"error": command})
        print(answer, flush=True)
    for srv in servers:
        srv.shutdown()


class RunningServer:
    """The bench's handle on the server process: its URLs and its commands."""

    def __init__(self, proc: subprocess.Popen, urls: list[str]):
        self.proc, self.urls = proc, urls

    def _ask(self, command: str) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline()

    def publish(self, newest: int) -> None:
        """From now on each feed shows its items up to the newest-th."""
        if self._ask(f"newest {newest}").strip() != "ok":
            raise RuntimeError("the feed server did not take the new items")

    def take_counts(self) -> dict[str, int]:
        """Requests per feed file name since the last call."""
        return json.loads(self._ask("counts"))


@contextmanager
def _server_process(folder: str, count: int, hosts: list[str], latency: float):
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from reputation.tools.feed_server import _serve; "
        "_serve(sys.argv[2], sys.argv[3].split(','), float(sys.argv[4]))"
    )
    root = str(Path(__file__).resolve().parents[2])
    proc = subprocess.Popen(
        [sys.executable, "-c", code, root, folder, ",".join(hosts), str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the feed server did not start")
        ports = json.loads(line)
        urls = [
            f"http://{hosts[i % len(hosts)]}:{ports[i % len(hosts)]}/feed/{i}.xml"
            for i in range(count)
        ]
        yield RunningServer(proc, urls)
    finally:
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def feed_server(bodies: list[bytes], hosts: list[str], latency: float):
    """Serve bodies[i] at /feed/i.xml on hosts[i % len(hosts)]; yields the URLs.

    The server is another Python process, so that answering never competes with
    the fetcher for this process's event loop and GIL.
    """
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as folder:
        for i, body in enumerate(bodies):
            Path(folder, f"{i}.xml").write_bytes(body)
        with _server_process(folder, len(bodies), hosts, latency) as server:
            yield server.urls


@contextmanager
def live_feed_server(
    pool: list[tuple[str, str]], tracked: list[list[str]], hosts: list[str], latency: float
):
    """Serve feed i (feed_body with the names tracked[i]) at /feed/i.xml on
    hosts[i % len(hosts)], built on each request; yields a RunningServer."""
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as folder:
        plan = {"pool": pool, "tracked": tracked, "now": datetime.now(UTC).isoformat()}
        Path(folder, "plan.json").write_text(json.dumps(plan))
        with _server_process(folder, len(tracked), hosts, latency) as server:
            yield server
