"""Keep fetches of user-given URLs off the machine's own network (SSRF).

Two checks, both needed:

- `check_url` refuses what is wrong before any traffic: a scheme other than
  http/https, a port outside the usual web ports, an IP literal in a refused range.
- `SafeBackend` is the httpcore network backend every fetch connects through: it
  resolves the host name itself, refuses the connection if ANY resolved address is
  refused, and connects to the very address it checked. There is no second lookup
  between check and connect, so DNS rebinding has no window; TLS SNI, certificate
  checks and the Host header still use the host name (httpcore passes them on).

Redirects are followed by monitoring.net.fetch hop by hop, so every hop goes through
both checks again.
"""

import asyncio
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpcore

from monitoring.types import SourceError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services: refused even when private addresses are allowed, since
# no feed lives there and they hand out credentials.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task credentials
        "169.254.169.123",  # AWS time sync
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)

# 80/443 and the unprivileged range: other low ports are mail, SSH, databases...
ALLOWED_LOW_PORTS = frozenset({80, 443})

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(SourceError):
    """The URL or address must not be fetched; `message` says why (for users)."""


class BlockedAddress(Refused):
    def __init__(self, host: str, address: str):
        super().__init__("ssrf", f"{host} -> {address}")
        self.host = host
        self.address = address


class DNSFailure(Exception):
    """The host name could not be resolved."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]  # the client address; the server one is public by design
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_refused(ip: IPAddress, allow_private: bool = False) -> bool:
    """True when connecting to `ip` could reach this machine or its network."""
    if ip in METADATA_ADDRESSES:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and is_refused(inner, allow_private):
            return True
    if allow_private:
        return False
    # is_global alone misses multicast and some reserved ranges (224.0.1.0/24,
    # ::/8, 64:ff9b::/96 are "global" in some Python versions), hence the rest.
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    )


def parse_ip(host: str) -> IPAddress | None:
    """The address when `host` is an IP literal in canonical form, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def check_url(url: str, allow_private: bool = False) -> None:
    """Refuse a URL by its form alone (raises Refused with code invalid_url or ssrf).

    Host names are checked later, after resolution, by SafeBackend; odd IPv4
    spellings such as 2130706433 or 0x7f.1 resolve to an address and are caught
    there too.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused("invalid_url", "bad url") from exc
    if parts.scheme not in ("http", "https"):
        raise Refused("invalid_url", "scheme")
    host = parts.hostname or ""
    if not host:
        raise Refused("invalid_url", "no host")
    if parts.username or parts.password:
        # Credentials in a user-given URL are never ours to send.
        raise Refused("invalid_url", "credentials")
    if port is not None and port < 1024 and port not in ALLOWED_LOW_PORTS:
        raise Refused("port", str(port))
    ip = parse_ip(host)
    if ip is not None and is_refused(ip, allow_private):
        raise BlockedAddress(host, str(ip))


# getaddrinfo blocks a thread: give it its own pool so that slow DNS answers
# never starve the event loop's default executor.
_dns_pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="dns")


def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(sockaddr[0])
    return seen


async def resolve(host: str, port: int) -> list[str]:
    """Every address of `host` (replaceable in tests to simulate DNS answers)."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_dns_pool, _getaddrinfo, host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise DNSFailure(host) from exc


async def open_tcp(address: str, port: int, **kwargs) -> httpcore.AsyncNetworkStream:
    """Connect to an address that was checked (tests wrap it to assert that)."""
    return await httpcore.AnyIOBackend().connect_tcp(address, port, **kwargs)


class SafeBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address, connect to a checked address only."""

    def __init__(self, allow_private: bool = False, resolver=None):
        self.allow_private = allow_private
        self.resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        ip = parse_ip(host)
        if ip is not None:
            found = [str(ip)]
        else:
            resolver = self.resolver or resolve
            try:
                found = await asyncio.wait_for(resolver(host, port), timeout)
            except TimeoutError as exc:
                raise DNSFailure(host) from exc
            if not found:
                raise DNSFailure(host)
        for address in found:
            parsed = parse_ip(address)
            if parsed is None or is_refused(parsed, self.allow_private):
                raise BlockedAddress(host, address)
        return found

    async def connect_tcp(
        self, host, port, timeout=None, local_address=None, socket_options=None
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.addresses(host, port, timeout)
        last: Exception | None = None
        for address in addresses:
            try:
                return await open_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc  # try the host's next address, as browsers do
        assert last is not None
        raise last

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise Refused("invalid_url", "unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
