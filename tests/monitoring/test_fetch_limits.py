"""Bounds of the fetch stage: time, size, content types, compression bombs."""

import gzip
import time
import zlib

import brotli
import pytest

from monitoring.net import robots
from monitoring.net.body import STEP, decoder, refused_type
from monitoring.net.fetch import fetch
from monitoring.types import FetchRequest

FEED_TYPE = {"Content-Type": "application/atom+xml"}


@pytest.fixture(autouse=True)
def _no_robots(settings):
    # These tests are about bodies; robots.txt has its own tests.
    settings.FETCH_RESPECT_ROBOTS = False
    robots.clear_cache()


def _raw(head: bytes, body: bytes = b"", then_sleep: float = 0.0):
    """A handler that writes exactly these bytes (lying headers included)."""

    def handler(req):
        try:
            req.wfile.write(head + b"\r\n" + body)
            req.wfile.flush()
            time.sleep(then_sleep)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return None

    return handler


def test_it_times_out_on_a_slow_server(server, settings):
    settings.FETCH_READ_TIMEOUT = 0.3
    server.route("/slow", handler=lambda req: time.sleep(2) or (200, FEED_TYPE, b"<feed/>"))
    started = time.monotonic()
    result = fetch(FetchRequest(server.url("/slow")))
    assert result.error_code == "timeout"
    assert result.error == "the server took too long to answer"
    assert time.monotonic() - started < 1.5


def test_it_cuts_an_endless_trickle_at_the_total_timeout(server, settings):
    # Each byte comes well within the read timeout: only the total budget stops it.
    settings.FETCH_READ_TIMEOUT = 1.0
    settings.FETCH_TOTAL_TIMEOUT = 0.8

    def trickle():
        for _ in range(600):
            yield b"<"
            time.sleep(0.02)

    server.route("/trickle", handler=lambda req: (200, FEED_TYPE, trickle()))
    started = time.monotonic()
    result = fetch(FetchRequest(server.url("/trickle")))
    assert result.error_code == "timeout"
    assert result.body == b""
    assert time.monotonic() - started < 2.0


def test_it_cuts_an_endless_fast_body_at_the_size_limit(server, settings):
    settings.FETCH_MAX_BYTES = 256 * 1024
    sent = []

    def endless():
        for _ in range(10_000):  # 640 MB at most, should the client never stop
            sent.append(1)
            yield b"x" * 65536

    server.route("/endless", handler=lambda req: (200, FEED_TYPE, endless()))
    result = fetch(FetchRequest(server.url("/endless")))
    assert result.error_code == "too_large"
    assert result.error == "the page is larger than 256 KB"
    assert result.body == b""
    assert len(sent) < 200  # the connection was dropped, not read to the end


def test_it_refuses_a_huge_body(server, settings):
    settings.FETCH_MAX_BYTES = 1000
    server.route("/big", b"<feed>" + b"x" * 5000 + b"</feed>", headers=FEED_TYPE)
    result = fetch(FetchRequest(server.url("/big")))
    assert result.error_code == "too_large"


def test_it_refuses_a_declared_length_over_the_limit_before_reading(server, settings):
    # 6 MB announced, a few bytes sent, then silence: reading would hit the read
    # timeout; refusing on the header alone answers "too large" at once.
    settings.FETCH_READ_TIMEOUT = 3
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 6291456\r\n"
    server.route("/big", handler=_raw(head, b"<rss>", then_sleep=4))
    started = time.monotonic()
    result = fetch(FetchRequest(server.url("/big")))
    assert result.error_code == "too_large"
    assert result.error == "the page is larger than 5 MB"
    assert time.monotonic() - started < 2


def test_it_reports_a_body_shorter_than_its_content_length(server):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 10000\r\n"
    server.route("/short", handler=_raw(head, b"<rss></rss>"))
    result = fetch(FetchRequest(server.url("/short")))
    assert result.error_code == "network"
    assert "before the answer was complete" in result.error


def test_it_reads_only_the_declared_length_of_a_longer_body(server):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 11\r\n"
    server.route("/long", handler=_raw(head, b"<rss></rss>" + b"garbage" * 1000))
    result = fetch(FetchRequest(server.url("/long")))
    assert result.ok, result.error
    assert result.body == b"<rss></rss>"


@pytest.mark.parametrize(
    "ctype",
    ["image/png", "video/mp4", "audio/mpeg", "application/octet-stream", "application/pdf",
     "application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
)  # fmt: skip
def test_it_refuses_binary_content_types(server, ctype):
    server.route("/file", b"\x00\x01binary", headers={"Content-Type": ctype})
    result = fetch(FetchRequest(server.url("/file")))
    assert result.error_code == "content_type"
    assert ctype in result.error
    assert result.body == b""


def test_it_refuses_a_binary_file_served_as_html(server):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    server.route("/page", png, headers={"Content-Type": "text/html"})
    result = fetch(FetchRequest(server.url("/page")))
    assert result.error_code == "content_type"


def test_it_accepts_textual_types():
    for ctype in ["text/html; charset=utf-8", "application/rss+xml", "application/atom+xml",
                  "text/xml", "application/xml", "application/feed+json", "application/json",
                  "application/xhtml+xml", "text/plain", "", "application/x-rss+xml"]:  # fmt: skip
        assert not refused_type(ctype), ctype


def test_it_decodes_gzip_deflate_and_brotli(server):
    body = b"<rss>" + "café ".encode() * 1000 + b"</rss>"
    encoded = {
        "gzip": gzip.compress(body),
        "deflate": zlib.compress(body),
        "br": brotli.compress(body),
    }
    for coding, data in encoded.items():
        server.route(f"/{coding}", data, headers={**FEED_TYPE, "Content-Encoding": coding})
    raw = zlib.compressobj(wbits=-15)
    server.route(
        "/raw-deflate",
        raw.compress(body) + raw.flush(),
        headers={**FEED_TYPE, "Content-Encoding": "deflate"},
    )
    for path in ["/gzip", "/deflate", "/br", "/raw-deflate"]:
        result = fetch(FetchRequest(server.url(path)))
        assert result.ok, (path, result.error)
        assert result.body == body, path
    assert server.requests[0][2]["Accept-Encoding"] == "gzip, deflate, br"


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_it_bounds_a_compression_bomb(server, settings, coding):
    settings.FETCH_MAX_BYTES = 1024 * 1024
    zeros = b"\0" * (32 * 1024 * 1024)  # 32 MB decoded
    bomb = gzip.compress(zeros, 6) if coding == "gzip" else brotli.compress(zeros, quality=4)
    assert len(bomb) < settings.FETCH_MAX_BYTES  # small on the wire
    server.route("/bomb", bomb, headers={**FEED_TYPE, "Content-Encoding": coding})
    result = fetch(FetchRequest(server.url("/bomb")))
    assert result.error_code == "too_large"
    assert result.body == b""


def test_it_reports_a_broken_compressed_body(server):
    server.route(
        "/broken",
        b"\x1f\x8b\x08\x00garbage-that-is-not-deflate" * 10,
        headers={**FEED_TYPE, "Content-Encoding": "gzip"},
    )
    result = fetch(FetchRequest(server.url("/broken")))
    assert result.error_code == "decoding"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_it_decodes_a_bomb_in_small_steps(coding):
    # What keeps memory bounded: no single step inflates much more than STEP bytes
    # (brotli's limit stops growing its buffer once past it, hence the margin).
    zeros = b"\0" * (8 * 1024 * 1024)
    compress = {
        "gzip": lambda d: gzip.compress(d, 6),
        "deflate": zlib.compress,
        "br": lambda d: brotli.compress(d, quality=4),
    }[coding]
    dec = decoder(coding)
    total = 0
    for out in dec.feed(compress(zeros)):
        assert len(out) <= 2 * STEP
        total += len(out)
    for out in dec.finish():
        total += len(out)
    assert total == len(zeros)


def test_it_reports_an_encoding_it_cannot_decode(server):
    server.route("/z", b"(\xb5/\xfd...", headers={**FEED_TYPE, "Content-Encoding": "zstd"})
    result = fetch(FetchRequest(server.url("/z")))
    assert result.error_code == "decoding"
    assert result.error == "the server sent a compressed answer that could not be decoded"
