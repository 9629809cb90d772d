"""Per-host politeness shared by every worker process and machine.

A site is promised at most FETCH_PER_HOST_CONCURRENCY requests at once and, when its
robots.txt asks for one, a Crawl-delay between two requests. Counted in one process,
four workers made four times the promise; so the count lives where every process
sees it:

- Redis (REDIS_URL set, several machines): per host, a sorted set of leases (token,
  expiry) and a key holding the time of the next allowed request, both changed by a
  Lua script so that check and take are one atomic step. A lease expires after the
  fetch's total timeout: a killed worker never holds a slot for ever. Times come
  from Redis's clock, so machines whose clocks differ still agree.
- Files under VAR_DIR/hostlimit (no Redis: the single machine of `make run` and its
  embedded broker): one lock file per slot of a host, taken with flock, which the
  kernel releases when a process dies; the next allowed time in a file read and
  written under its own lock. Shared by every process of the machine.

Waiting is bounded (FETCH_HOST_WAIT): a host busier than that, or a Crawl-delay that
ends later, raises HostBusy with the seconds after which to try again; the poll then
comes back later instead of hanging. If Redis does not answer, politeness falls back
to the process's own limit rather than stopping every poll.
"""

import asyncio
import fcntl
import hashlib
import logging
import os
import random
import time
import uuid
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import redis
import redis.asyncio
from django.conf import settings

log = logging.getLogger(__name__)

# Between two tries for a slot: short, with jitter so waiting processes do not retry
# in step.
RETRY_SLEEP = (0.02, 0.08)
# Connections to Redis of one fetch_many call (each command takes microseconds).
REDIS_CONNECTIONS = 4

# KEYS[1] leases of a host; ARGV: limit, lease seconds, token. 1 when taken.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
  return 1
end
return 0
"""

# KEYS[1] next allowed time of a host; ARGV: delay, longest wait. Returns the seconds
# to wait before the request (its turn is then reserved), or "-" and the seconds
# until the host is free when that is further away than the longest wait. Strings:
# Redis would truncate a Lua number to an integer.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local wait = start - now
if wait > tonumber(ARGV[2]) then
  return '-' .. tostring(wait)
end
local after = start + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(after), 'PX', math.ceil((after - now) * 1000) + 1000)
return tostring(wait)
"""


class HostBusy(Exception):
    """The host cannot be asked within the longest wait; try again after `retry_after`."""

    def __init__(self, retry_after: float):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after + 0.999))


class HostLimiter:
    """`slot(host)`: at most `per_host` requests at once to a host, in every process.
    `await pace(host, delay)`: at most one request per `delay` seconds to a host."""

    def __init__(self, per_host: int, lease_seconds: float, wait: float):
        self.per_host = per_host
        self.lease_seconds = lease_seconds
        self.wait = wait

    @asynccontextmanager
    async def slot(self, host: str):
        deadline = time.monotonic() + self.wait
        while True:
            lease = await self._take(host)
            if lease is not None:
                break
            if time.monotonic() >= deadline:
                raise HostBusy(self.wait)
            await asyncio.sleep(random.uniform(*RETRY_SLEEP))
        try:
            yield
        finally:
            await self._give(host, lease)

    async def pace(self, host: str, delay: float) -> None:
        if delay <= 0:
            return
        wait = await self._reserve(host, delay)
        if wait > 0:
            await asyncio.sleep(wait)

    async def aclose(self) -> None:
        pass

    async def _take(self, host: str):
        raise NotImplementedError

    async def _give(self, host: str, lease) -> None:
        raise NotImplementedError

    async def _reserve(self, host: str, delay: float) -> float:
        raise NotImplementedError


class RedisLimiter(HostLimiter):
    """Shared by every machine that uses the same Redis."""

    def __init__(self, url: str, per_host: int, lease_seconds: float, wait: float):
        super().__init__(per_host, lease_seconds, wait)
        # One client per fetch_many call: a redis.asyncio client belongs to the event
        # loop it was made in, and each call runs its own loop. A few connections,
        # waited for: each fetch's two short commands opened a connection of its own
        # (a connect and two commands more, a thousand connections for a thousand
        # fetches; a tenth of the fetching thread's CPU).
        pool = redis.asyncio.BlockingConnectionPool.from_url(
            url,
            max_connections=REDIS_CONNECTIONS,
            timeout=2,
            socket_timeout=2,
            socket_connect_timeout=2,
        )
        # from_pool: the client owns its pool, and aclose() closes its connections.
        self.client = redis.asyncio.Redis.from_pool(pool)
        self._acquire = self.client.register_script(_ACQUIRE)
        self._reserve_script = self.client.register_script(_RESERVE)
        self.down = False

    def _failed(self) -> None:
        if not self.down:
            log.warning("Redis unreachable: per-host limits counted in this process only")
        self.down = True

    async def _take(self, host: str):
        if self.down:
            return "local"
        token = uuid.uuid4().hex
        try:
            taken = await self._acquire(
                keys=[f"hostlimit:slots:{host}"],
                args=[self.per_host, self.lease_seconds, token],
            )
        except (redis.RedisError, OSError):
            self._failed()
            return "local"
        return token if taken else None

    async def _give(self, host: str, lease) -> None:
        if lease == "local" or self.down:
            return
        try:
            await self.client.zrem(f"hostlimit:slots:{host}", lease)
        except (redis.RedisError, OSError):
            self._failed()  # the lease expires by itself

    async def _reserve(self, host: str, delay: float) -> float:
        if self.down:
            return 0.0
        try:
            answer = await self._reserve_script(
                keys=[f"hostlimit:next:{host}"], args=[delay, self.wait]
            )
        except (redis.RedisError, OSError):
            self._failed()
            return 0.0
        answer = answer.decode() if isinstance(answer, bytes) else str(answer)
        if answer.startswith("-"):
            raise HostBusy(float(answer[1:]))
        return float(answer)

    async def aclose(self) -> None:
        with suppress(redis.RedisError, OSError):
            await self.client.aclose()


class FileLimiter(HostLimiter):
    """Shared by the processes of one machine (no Redis: one machine by definition)."""

    def __init__(self, folder: Path, per_host: int, lease_seconds: float, wait: float):
        super().__init__(per_host, lease_seconds, wait)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, host: str, suffix: str) -> Path:
        # Hashed: a host name is hostile input, never a file name.
        name = hashlib.sha256(host.encode("utf-8", "replace")).hexdigest()[:32]
        return self.folder / f"{name}.{suffix}"

    async def _take(self, host: str):
        # flock locks belong to an open file: two opens in one process exclude each
        # other too, and a dead process's locks vanish with it.
        for number in range(self.per_host):
            fd = os.open(self._path(host, str(number)), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return fd
        return None

    async def _give(self, host: str, lease) -> None:
        os.close(lease)  # closing releases the lock

    async def _reserve(self, host: str, delay: float) -> float:
        fd = os.open(self._path(host, "next"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # Held for a read and a write only: blocking the loop that long is fine.
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                start = float(os.read(fd, 64).decode() or 0)
            except ValueError:
                start = 0.0
            now = time.time()
            wait = max(start - now, 0.0)
            if wait > self.wait:
                raise HostBusy(wait)
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, repr(now + wait + delay).encode())
            return wait
        finally:
            os.close(fd)  # releases the lock


def from_settings() -> HostLimiter:
    """The limiter for this deployment: Redis when there is one, else files."""
    per_host = max(1, settings.FETCH_PER_HOST_CONCURRENCY)
    # A lease outlives the longest request it covers, never a killed worker.
    lease, wait = settings.FETCH_TOTAL_TIMEOUT + 5, settings.FETCH_HOST_WAIT
    if settings.REDIS_URL:
        return RedisLimiter(settings.REDIS_URL, per_host, lease, wait)
    return FileLimiter(settings.VAR_DIR / "hostlimit", per_host, lease, wait)
