"""Read a response body within bounds: its type, its encoded and decoded size.

Content-Encoding is decoded here rather than by httpx because httpx inflates a
whole network chunk at once: 64 KiB of gzip can become 64 MB before anyone counts.
Our decoders stop each step at a fixed output size, so a compression bomb costs at
most FETCH_MAX_BYTES of memory before it is refused.
"""

import zlib

import brotli

ACCEPT_ENCODING = "gzip, deflate, br"

# Decoded bytes produced per decoder step: the unit in which a bomb is noticed.
STEP = 64 * 1024

# Types that are never a feed or a page. Anything textual, XML or JSON is accepted,
# and so is a missing type (servers forget it; the parser will tell).
_REFUSED_MAJOR = {"image", "video", "audio", "font", "model", "multipart"}
_REFUSED_TYPES = {
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/java-archive",
    "application/x-msdownload",
    "application/x-executable",
    "application/wasm",
    "application/msword",
    "application/x-shockwave-flash",
    "application/x-iso9660-image",
    "application/postscript",
}
_REFUSED_PREFIXES = (
    "application/vnd.ms-",
    "application/vnd.openxmlformats",
    "application/vnd.oasis",
)

# Magic numbers of binary files, for servers that lie about the type.
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x00\x00\x00\x18ftyp",
    b"\x00\x00\x00\x20ftyp",
    b"OggS",
    b"RIFF",
    b"\x7fELF",
)


def refused_type(content_type: str) -> bool:
    """True for a Content-Type (without parameters) that cannot hold text."""
    ctype = content_type.split(";")[0].strip().lower()
    if not ctype:
        return False
    major = ctype.split("/")[0]
    return major in _REFUSED_MAJOR or ctype in _REFUSED_TYPES or ctype.startswith(_REFUSED_PREFIXES)


def looks_binary(head: bytes) -> bool:
    return head.startswith(_MAGIC)


class TooLarge(Exception):
    pass


class BadEncoding(Exception):
    pass


class _Identity:
    def feed(self, data: bytes):
        if data:
            yield data

    def finish(self):
        return iter(())


class _Zlib:
    """gzip or deflate (zlib-wrapped, or raw as some servers send), step by step."""

    def __init__(self, encoding: str):
        self.gzip = encoding in ("gzip", "x-gzip")
        wbits = zlib.MAX_WBITS | 16 if self.gzip else zlib.MAX_WBITS
        self.obj = zlib.decompressobj(wbits)
        self.first = True

    def feed(self, data: bytes):
        if self.first and not self.gzip and data:
            self.first = False
            try:
                yield from self._drain(data)
                return
            except zlib.error:
                self.obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
        yield from self._drain(data)

    def _drain(self, data: bytes):
        while data:
            if self.obj.eof:
                return  # trailing garbage after the stream is ignored, as browsers do
            out = self.obj.decompress(data, STEP)
            data = self.obj.unconsumed_tail
            if out:
                yield out

    def finish(self):
        out = self.obj.flush(STEP)
        if out:
            yield out


class _Brotli:
    def __init__(self):
        self.obj = brotli.Decompressor()

    def feed(self, data: bytes):
        out = self.obj.process(data, output_buffer_limit=STEP)
        # Output beyond the limit stays inside the decoder: drain it step by step
        # until it asks for more input (an empty step) or the stream ends.
        while out:
            yield out
            if self.obj.is_finished():
                return
            out = self.obj.process(b"", output_buffer_limit=STEP)

    def finish(self):
        return iter(())


def decoder(content_encoding: str):
    """A step-wise decoder for the Content-Encoding header (one coding supported)."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1:
        raise BadEncoding(content_encoding)
    coding = codings[0]
    if coding in ("gzip", "x-gzip", "deflate"):
        return _Zlib(coding)
    if coding == "br":
        return _Brotli()
    raise BadEncoding(content_encoding)


async def read_bounded(response, max_bytes: int) -> bytes:
    """The decoded body of an httpx streaming response, at most max_bytes.

    Raises TooLarge past max_bytes (encoded or decoded), BadEncoding when the
    compressed stream is broken.
    """
    dec = decoder(response.headers.get("content-encoding", ""))
    parts: list[bytes] = []
    raw_total = total = 0
    try:
        async for raw in response.aiter_raw():
            raw_total += len(raw)
            if raw_total > max_bytes:
                raise TooLarge()
            for out in dec.feed(raw):
                total += len(out)
                if total > max_bytes:
                    raise TooLarge()
                parts.append(out)
        for out in dec.finish():
            total += len(out)
            if total > max_bytes:
                raise TooLarge()
            parts.append(out)
    except (zlib.error, brotli.error) as exc:
        raise BadEncoding(str(exc)) from exc
    return b"".join(parts)


async def read_head(response, limit: int) -> bytes:
    """Up to `limit` decoded bytes of the body, never raising (for error pages)."""
    try:
        dec = decoder(response.headers.get("content-encoding", ""))
        parts: list[bytes] = []
        total = 0
        async for raw in response.aiter_raw():
            for out in dec.feed(raw):
                parts.append(out)
                total += len(out)
                if total >= limit:
                    return b"".join(parts)[:limit]
            if total >= limit:
                break
        return b"".join(parts)[:limit]
    except Exception:  # an error page we cannot read just tells us less
        return b""
