"""Fetch many user-given URLs at once, safely and politely (httpx, asyncio).

`fetch_many(requests)` returns one FetchResult per request, in order, and never
raises for a bad URL: every failure becomes `error` (a sentence for users, in
the active language) and `error_code`, one of:

    invalid_url   not an http(s) address, malformed, a refused port, credentials in it
    ssrf          the address (or a redirect, or what the name resolves to) is local,
                  private, link-local, multicast, reserved or a cloud metadata service
    dns           the host name does not resolve
    network       connection refused, reset or cut before the answer was complete
    tls           the secure connection failed (certificate, protocol)
    timeout       connect, read or the total time for the URL ran out
    too_large     the body is larger than FETCH_MAX_BYTES (declared, sent or decoded)
    decoding      a compressed body that cannot be decoded
    content_type  a binary file (image, video, audio, PDF, archive...)
    http_error    an error status (4xx, 5xx); 503 may carry retry_after
    rate_limited  429 Too Many Requests; retry_after says when to come back
    redirects     too many redirects, or a redirect loop
    antibot       an anti-bot service (Cloudflare, DataDome...) answered instead of the site
    robots        robots.txt disallows this URL for our user agent
    polite_wait   the host is busy with our other requests or its Crawl-delay is not
                  over within FETCH_HOST_WAIT; retry_after says when to come back
    internal      a bug of ours; logged with its traceback

Safety: every hop of a redirect chain is checked (netguard.check_url) and every
connection goes through netguard.SafeBackend, which resolves, checks and connects
to the checked address. Politeness: a global limit on concurrent requests, a
per-host limit and robots.txt Crawl-delay shared by every process (monitoring.net.
hostlimit), our User-Agent on every request, robots.txt (monitoring.net.robots).
Bounds: connect/read timeouts, a total wall-clock budget per URL, a byte limit
counted on the decoded body (monitoring.net.body).

`post_json(url, payload)` is the one way for other senders (alert webhooks) to send
to a user-typed address with the same checks: the product never builds its own
httpx client.

Settings are read from django.conf.settings at each call, so tests override them.
"""

import asyncio
import http.cookiejar
import logging
import queue
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from monitoring.net import antibot, hostlimit
from monitoring.net import guard as netguard
from monitoring.net.body import (
    ACCEPT_ENCODING,
    BadEncoding,
    TooLarge,
    looks_binary,
    read_bounded,
    read_head,
    refused_type,
)
from monitoring.net.retry import parse_retry_after
from monitoring.net.robots import MAX_BYTES as ROBOTS_MAX_BYTES
from monitoring.net.robots import RobotsChecker
from monitoring.types import FetchRequest, FetchResult, SourceError

log = logging.getLogger(__name__)

REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchError(SourceError):
    """A fetch failed; its `message` becomes FetchResult.error."""


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n / 1024:g} KB"


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """Robots keep no cookies: one source's session never leaks into another's."""

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


@dataclass
class _Context:
    client: httpx.AsyncClient
    user_agent: str
    max_bytes: int
    max_redirects: int
    total_timeout: float
    per_host: int
    global_slots: asyncio.Semaphore
    limiter: hostlimit.HostLimiter
    host_slots: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    robots: RobotsChecker | None = None
    allow_private: bool = False

    @asynccontextmanager
    async def slot(self, host: str):
        # The process's own queue first (unbounded wait, no load on the shared count),
        # then the slot shared with every process, then a global slot: a request
        # queued behind its host holds no global slot.
        sem = self.host_slots.setdefault(host, asyncio.Semaphore(self.per_host))
        async with sem, self.limiter.slot(host), self.global_slots:
            yield


_ssl_context: ssl.SSLContext | None = None


def _ssl() -> ssl.SSLContext:
    # Loading the CA bundle costs ~50 ms: once per process, not once per poll batch.
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context(trust_env=False)
    return _ssl_context


def _guarded_transport(backend: netguard.SafeBackend, **pool) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through `backend`.

    httpx takes no network backend: its pool is replaced by one that has ours (the
    attribute httpx's transport sends requests through). This is the one place that
    touches httpx's internals; other senders use post_json() below.
    """
    # verify= hands over the shared context (else httpx loads the CA bundle).
    transport = httpx.AsyncHTTPTransport(verify=_ssl(), trust_env=False, retries=0)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=_ssl(), network_backend=backend, **pool
    )
    return transport


class _PerHostTransport(httpx.AsyncBaseTransport):
    """One small connection pool per origin, each connecting through SafeBackend.

    httpcore's pool scans every connection it holds for each request it queues or
    finishes: one pool for a hundred hosts made that scan the main cost of a poll
    (measured: two thirds of the time for 500 feeds on 25 hosts). Per origin, a
    pool holds no more connections than the per-host limit lets run.
    """

    def __init__(self, allow_private: bool, per_host: int):
        self.backend = netguard.SafeBackend(allow_private=allow_private)
        self.per_host = per_host
        self.transports: dict[tuple, httpx.AsyncHTTPTransport] = {}

    def _for(self, url: httpx.URL) -> httpx.AsyncHTTPTransport:
        key = (url.scheme, url.host, url.port)
        transport = self.transports.get(key)
        if transport is None:
            transport = _guarded_transport(
                self.backend,
                max_connections=self.per_host + 2,
                max_keepalive_connections=self.per_host,
                keepalive_expiry=5.0,
            )
            self.transports[key] = transport
        return transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._for(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self.transports.values():
            await transport.aclose()


def _client(allow_private: bool) -> httpx.AsyncClient:
    per_host = max(1, settings.FETCH_PER_HOST_CONCURRENCY)
    transport = _PerHostTransport(allow_private, per_host)
    read = settings.FETCH_READ_TIMEOUT
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(
            connect=settings.FETCH_CONNECT_TIMEOUT,
            read=read,
            write=read,
            pool=settings.FETCH_TOTAL_TIMEOUT,
        ),
        follow_redirects=False,
        trust_env=False,
        cookies=httpx.Cookies(http.cookiejar.CookieJar(policy=_NoCookies())),
    )


async def fetch_many(
    requests: list[FetchRequest],
    on_result: Callable[[int, FetchResult], None] | None = None,
    budget: float | None = None,
) -> list[FetchResult]:
    """Fetch every request concurrently; one result per request, in order.

    `on_result(index, result)` is called as each one completes, so that a caller can
    start on the first answers while the slower ones are still on their way.
    `budget`: seconds for the whole call, waiting for slots and robots.txt included
    (a page a person is waiting on: see REQUEST_FETCH_BUDGET); what is not done by
    then ends with the "timeout" error.
    """
    deadline = time.monotonic() + budget if budget is not None else None
    allow_private = bool(settings.FETCH_ALLOW_PRIVATE_ADDRESSES)
    per_host = max(1, settings.FETCH_PER_HOST_CONCURRENCY)
    limiter = hostlimit.from_settings()
    async with _client(allow_private) as client:
        ctx = _Context(
            client=client,
            user_agent=settings.FETCH_USER_AGENT,
            max_bytes=settings.FETCH_MAX_BYTES,
            max_redirects=settings.FETCH_MAX_REDIRECTS,
            total_timeout=settings.FETCH_TOTAL_TIMEOUT,
            per_host=per_host,
            global_slots=asyncio.Semaphore(max(1, settings.FETCH_CONCURRENCY)),
            limiter=limiter,
            allow_private=allow_private,
        )
        if settings.FETCH_RESPECT_ROBOTS:

            async def fetch_robots(url: str) -> FetchResult:
                req = FetchRequest(url=url, accept="text/plain, */*;q=0.5")
                return await _fetch_one(ctx, req, check_robots=False, max_bytes=ROBOTS_MAX_BYTES)

            ctx.robots = RobotsChecker(fetch_robots, ctx.user_agent)

        async def one(index: int, req: FetchRequest) -> FetchResult:
            if deadline is None:
                result = await _fetch_one(ctx, req)
            else:
                try:
                    async with asyncio.timeout(max(deadline - time.monotonic(), 0.001)):
                        result = await _fetch_one(ctx, req)
                except TimeoutError:
                    result = FetchResult(url=req.url, error_code="timeout")
                    result.error = _("the site took too long to answer (over %(n)s s)") % {
                        "n": round(budget)
                    }
            if on_result is not None:
                on_result(index, result)
            return result

        try:
            return list(await asyncio.gather(*(one(i, r) for i, r in enumerate(requests))))
        finally:
            await limiter.aclose()


def fetch_as_completed(requests: list[FetchRequest]) -> Iterator[tuple[int, FetchResult]]:
    """(index, result) of each request as soon as it is fetched, from synchronous code.

    The fetching runs in its own thread and event loop, so that the caller parses and
    stores the first answers while waiting for the others: a batch then costs its
    CPU work plus one round trip, not plus its slowest round trip. The thread needs
    little of the GIL (sockets and TLS release it).
    """
    answers: queue.SimpleQueue = queue.SimpleQueue()
    language = translation.get_language()  # error messages in the caller's language

    def run() -> None:
        try:
            with translation.override(language):
                asyncio.run(fetch_many(requests, lambda i, r: answers.put((i, r))))
        except BaseException as exc:  # handed to the caller, raised there
            answers.put((-1, exc))

    threading.Thread(target=run, name="fetch", daemon=True).start()
    for _count in range(len(requests)):
        index, result = answers.get()
        if index < 0:
            raise result
        yield index, result


def fetch(request: FetchRequest, budget: float | None = None) -> FetchResult:
    """One URL, from synchronous code (not from inside a running event loop)."""
    return asyncio.run(fetch_many([request], budget=budget))[0]


@dataclass
class Posted:
    """What a receiver answered a post: its status, the first bytes of its body, the time."""

    status: int
    body: bytes = b""
    elapsed: float = 0.0


def post_json(
    url: str,
    payload: dict | bytes,
    timeout: float | None = None,
    headers: dict[str, str] | None = None,
    keep: int = 0,
) -> int | Posted:
    """POST `payload` as JSON to a user-typed address (webhooks); returns the status,
    or a Posted when `keep` bytes of the answer are asked for. The fetcher's checks
    hold: the address is checked, and every connection goes through SafeBackend (what
    the name resolves to is checked too). No redirect is followed, so there is no
    further hop: a 3xx is returned as is. At most `keep` bytes of the answer are read,
    undecoded (a hostile receiver may send gigabytes, or a compression bomb). `payload`
    as bytes is sent as is (a signature over it then holds); `headers` are added to
    ours. `timeout`: seconds for the whole call (FETCH_TOTAL_TIMEOUT by default).
    Raises FetchError, with the same codes and sentences as a fetch, when the request
    surely did not arrive.
    """
    posted = asyncio.run(
        _post_json(url, payload, timeout or settings.FETCH_TOTAL_TIMEOUT, headers or {}, keep)
    )
    return posted if keep else posted.status


async def _post_json(url, payload, timeout: float, extra: dict, keep: int) -> Posted:
    allow_private = bool(settings.FETCH_ALLOW_PRIVATE_ADDRESSES)
    _check_url(url, allow_private, first=True)
    transport = _guarded_transport(netguard.SafeBackend(allow_private=allow_private))
    read = httpx.Timeout(settings.FETCH_READ_TIMEOUT, connect=settings.FETCH_CONNECT_TIMEOUT)
    client = httpx.AsyncClient(
        transport=transport, timeout=read, follow_redirects=False, trust_env=False
    )
    headers = {**extra, "User-Agent": settings.FETCH_USER_AGENT, "Accept-Encoding": "identity"}
    body = {"json": payload} if isinstance(payload, dict) else {"content": payload}
    if not isinstance(payload, dict) and "Content-Type" not in extra:
        headers["Content-Type"] = "application/json"
    started = time.monotonic()
    async with client:
        try:
            async with asyncio.timeout(max(timeout, 0.001)):
                request = client.build_request("POST", url, headers=headers, **body)
                response = await client.send(request, stream=True)
        except TimeoutError as exc:
            raise FetchError("timeout", _("the server took too long to answer")) from exc
        except FetchError:
            raise
        except Exception as exc:
            raise _error_for(exc) or exc from exc
        # The request arrived: a slow or broken answer body no longer makes it fail.
        kept = bytearray()
        try:
            async with asyncio.timeout(max(timeout - (time.monotonic() - started), 0.001)):
                async for chunk in response.aiter_raw() if keep else _no_chunks():
                    kept += chunk[: keep - len(kept)]
                    if len(kept) >= keep:
                        break
        except (TimeoutError, httpx.HTTPError):
            pass
        finally:
            await response.aclose()
        return Posted(response.status_code, bytes(kept), time.monotonic() - started)


async def _no_chunks():
    return
    yield b""


async def _fetch_one(
    ctx: _Context, req: FetchRequest, check_robots: bool = True, max_bytes: int | None = None
) -> FetchResult:
    result = FetchResult(url=req.url)
    started = time.monotonic()
    try:
        await _follow(ctx, req, result, check_robots, max_bytes or ctx.max_bytes)
    except FetchError as exc:
        result.error, result.error_code = exc.message, exc.code
    except Exception as exc:  # one URL never takes the others down
        log.exception("fetching %s failed", req.url)
        result.error = _("an internal error stopped this fetch (%(name)s)") % {
            "name": type(exc).__name__
        }
        result.error_code = "internal"
    if result.error:
        result.body = b""
    result.elapsed = time.monotonic() - started
    return result


async def _follow(
    ctx: _Context, req: FetchRequest, result: FetchResult, check_robots: bool, max_bytes: int
) -> None:
    url = req.url.strip()
    seen: set[str] = set()
    spent = 0.0  # time spent in requests; waiting for a slot does not count
    for _attempt in range(ctx.max_redirects + 1):
        _check_url(url, ctx.allow_private, first=not seen)
        if check_robots and ctx.robots is not None and not await ctx.robots.allowed(url):
            raise FetchError(
                "robots", _("blocked by robots.txt: the site asks robots not to read this address")
            )
        host = (urlsplit(url).hostname or "").lower()
        try:
            if check_robots and ctx.robots is not None:
                await ctx.limiter.pace(host, ctx.robots.crawl_delay(url))
            async with ctx.slot(host):
                remaining = ctx.total_timeout - spent
                begun = time.monotonic()
                try:
                    async with asyncio.timeout(max(remaining, 0.001)):
                        location = await _hop(ctx, req, url, result, max_bytes)
                except TimeoutError as exc:
                    raise FetchError("timeout", _("the server took too long to answer")) from exc
                finally:
                    spent += time.monotonic() - begun
        except hostlimit.HostBusy as exc:
            result.retry_after = exc.retry_after
            raise FetchError(
                "polite_wait", _("the site asks us to space our visits: it is read a bit later")
            ) from exc
        if location is None:
            return
        seen.add(url)
        if location in seen:
            raise FetchError("redirects", _("the address redirects in a loop"))
        url = location
    raise FetchError(
        "redirects", _("too many redirects (more than %(n)s)") % {"n": ctx.max_redirects}
    )


def _check_url(url: str, allow_private: bool, first: bool) -> None:
    try:
        netguard.check_url(url, allow_private)
    except netguard.BlockedAddress as exc:
        raise _ssrf_error() from exc
    except netguard.Refused as exc:
        if exc.code == "port":
            message = _("this address uses port %(port)s, which is refused") % {"port": exc.message}
        elif exc.message == "credentials":
            message = _("addresses with a user name or password are refused")
        elif first:
            message = _("this is not a valid web address (http or https)")
        else:
            message = _(
                "the server redirected to an address that is not a web page (http or https)"
            )
        raise FetchError("invalid_url", message) from exc


def _ssrf_error() -> FetchError:
    return FetchError("ssrf", _("this address points to a private network and is refused"))


def _headers(ctx: _Context, req: FetchRequest) -> dict[str, str]:
    headers = {
        "User-Agent": ctx.user_agent,
        "Accept": req.accept,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    # Sent on every hop: the validators were stored from the end of the chain.
    if req.etag:
        headers["If-None-Match"] = req.etag
    if req.last_modified:
        headers["If-Modified-Since"] = req.last_modified
    return headers


async def _hop(
    ctx: _Context, req: FetchRequest, url: str, result: FetchResult, max_bytes: int
) -> str | None:
    """One request; returns the next URL when it redirects, else fills `result`."""
    try:
        request = ctx.client.build_request("GET", url, headers=_headers(ctx, req))
        response = await ctx.client.send(request, stream=True)
    except Exception as exc:
        raise _error_for(exc) or exc from exc
    try:
        result.final_url = str(response.url)
        result.status = response.status_code
        result.headers = {k.lower(): v for k, v in response.headers.items()}
        location = response.headers.get("location")
        if response.status_code in REDIRECT_STATUSES and location:
            try:
                return str(response.url.join(location.strip()))
            except Exception as exc:
                raise FetchError(
                    "invalid_url", _("the server redirected to a malformed address")
                ) from exc
        await _final(response, result, max_bytes)
        return None
    except FetchError:
        raise
    except Exception as exc:
        raise _error_for(exc) or exc from exc
    finally:
        await response.aclose()


async def _final(response: httpx.Response, result: FetchResult, max_bytes: int) -> None:
    status, headers = response.status_code, result.headers
    if status == 304:
        result.not_modified = True  # no body: nothing to parse
        return
    vendor = antibot.detect(status, headers)
    if status >= 400 or vendor:
        if status in (429, 503):
            result.retry_after = parse_retry_after(headers.get("retry-after"))
        if not vendor and not refused_type(headers.get("content-type", "")):
            vendor = antibot.detect(status, headers, await read_head(response, antibot.BODY_HEAD))
        if vendor:
            raise FetchError(
                "antibot",
                _(
                    "the site blocks automated reading (protected by %(service)s): "
                    "it cannot be followed this way"
                )
                % {"service": vendor},
            )
        if status == 429:
            raise FetchError("rate_limited", _("the server asks us to slow down (429)"))
        raise FetchError("http_error", _("the server answered %(status)s") % {"status": status})
    if not 200 <= status < 300:
        raise FetchError("http_error", _("the server answered %(status)s") % {"status": status})
    ctype = headers.get("content-type", "")
    if refused_type(ctype):
        raise _type_error(ctype)
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    try:
        body = await read_bounded(response, max_bytes)
    except TooLarge as exc:
        raise _too_large(max_bytes) from exc
    except BadEncoding as exc:
        raise FetchError(
            "decoding", _("the server sent a compressed answer that could not be decoded")
        ) from exc
    if looks_binary(body[:16]):
        raise _type_error("binary")
    result.body = body


def _type_error(ctype: str) -> FetchError:
    kind = ctype.split(";")[0].strip() or "binary"
    return FetchError(
        "content_type",
        _("this address serves a file (%(type)s), not a page or a feed") % {"type": kind},
    )


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(
        "too_large", _("the page is larger than %(size)s") % {"size": _size(max_bytes)}
    )


def _is_tls(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ssl.SSLError | ssl.CertificateError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _error_for(exc: Exception) -> FetchError | None:
    """The user-facing error for an exception raised while requesting.

    None for an exception nobody expects: it goes up as is, to be logged as a bug.
    """
    if isinstance(exc, netguard.BlockedAddress):
        return _ssrf_error()
    if isinstance(exc, netguard.Refused):
        return FetchError("invalid_url", _("this is not a valid web address (http or https)"))
    if isinstance(exc, netguard.DNSFailure):
        return FetchError("dns", _("the address could not be found (DNS)"))
    if isinstance(exc, httpx.TimeoutException):
        return FetchError("timeout", _("the server took too long to answer"))
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FetchError("invalid_url", _("this is not a valid web address (http or https)"))
    if isinstance(exc, httpx.ConnectError) and _is_tls(exc):
        return FetchError(
            "tls", _("the secure connection (TLS) to the server failed: certificate or protocol")
        )
    if isinstance(exc, httpx.ConnectError):
        return FetchError("network", _("the server could not be reached"))
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return FetchError(
            "network", _("the server cut the connection before the answer was complete")
        )
    if isinstance(exc, httpx.HTTPError):
        return FetchError("network", _("the connection to the server failed"))
    return None
