"""A real HTTP server on 127.0.0.1 for tests: no test ever reaches the network.

    srv = LocalServer(); srv.start()
    srv.route("/feed.xml", body=b"<rss>...", headers={"Content-Type": "application/rss+xml"})
    srv.route("/slow", handler=lambda req: time.sleep(5) or (200, {}, b"late"))
    srv.url("/feed.xml")  -> "http://127.0.0.1:PORT/feed.xml"
    LocalServer(tls=context, url_host="localhost")  -> HTTPS (tests/test_fetch_https.py)
    srv.requests          -> list of (method, path, headers) received

A handler gets the BaseHTTPRequestHandler and returns (status, headers, body); body
may be bytes or an iterable of bytes (streamed, for endless or huge bodies). A handler
that returns None has written its own raw response to req.wfile (for lying headers);
the connection is then closed.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: without this, Nagle's algorithm holds
    # the body until the client's delayed ACK, adding ~40 ms to every response.
    disable_nagle_algorithm = True

    def log_message(self, *args):  # keep test output clean
        pass

    def _serve(self):
        srv: LocalServer = self.server.owner  # type: ignore[attr-defined]
        path = self.path
        srv.requests.append((self.command, path, dict(self.headers)))
        route = srv.routes.get(path) or srv.routes.get(path.split("?")[0])
        if route is None:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
        else:
            answer = route(self)
            if answer is None:  # the handler wrote its own raw response
                self.close_connection = True
                return
            status, headers, body = answer
        self.send_response(status)
        headers = dict(headers)
        if isinstance(body, bytes | bytearray):
            headers.setdefault("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        else:
            headers.pop("Content-Length", None)
            headers["Connection"] = "close"
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            try:
                for chunk in body:
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = _serve


class LocalServer:
    """`tls`: a server-side ssl.SSLContext to serve HTTPS; URLs then name `url_host`."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, tls=None, url_host: str | None = None
    ):
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.url_host = url_host or "127.0.0.1"
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.routes: dict = {}
        self.requests: list = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.url_host}:{self.port}{path}"

    def route(self, path, body=b"", status=200, headers=None, handler=None):
        if handler is None:
            fixed = (status, headers or {"Content-Type": "text/html; charset=utf-8"}, body)
            self.routes[path] = lambda req: fixed
        else:
            self.routes[path] = handler

    def route_file(self, path, file: Path, content_type="application/xml"):
        self.route(path, Path(file).read_bytes(), headers={"Content-Type": content_type})

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
