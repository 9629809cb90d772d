"""The poll benchmark's feed server (reputation/tools/bench_poll.py).

Standard library only, and no Django: the server runs in its own process, which
imports this module without Django being set up.
"""

import json
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the body would wait for
    # the client's delayed ACK (40 ms) and the bench would measure that instead.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        time.sleep(self.server.latency)
        name = self.path.rsplit("/", 1)[-1]
        body = self.server.bodies.get(name) if self.path.startswith("/feed/") else None
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{name}"'
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
    """Child process: serve, print the ports as one JSON line, stop when stdin closes."""
    bodies = {p.name: p.read_bytes() for p in Path(folder).iterdir()}
    servers = []
    for host in hosts:
        srv = _FeedServer((host, 0), _FeedHandler)
        srv.bodies, srv.latency = bodies, latency
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    print(json.dumps([srv.server_address[1] for srv in servers]), flush=True)
    sys.stdin.read()
    for srv in servers:
        srv.shutdown()


@contextmanager
def feed_server(bodies: list[bytes], hosts: list[str], latency: float):
    """Serve bodies[i] at /feed/i.xml on hosts[i % len(hosts)]; yields the URLs.

    The server is another Python process, so that answering never competes with
    the fetcher for this process's event loop and GIL.
    """
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as folder:
        for i, body in enumerate(bodies):
            Path(folder, f"{i}.xml").write_bytes(body)
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
            yield [
                f"http://{hosts[i % len(hosts)]}:{ports[i % len(hosts)]}/feed/{i}.xml"
                for i in range(len(bodies))
            ]
        finally:
            proc.stdin.close()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
