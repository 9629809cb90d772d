"""Private Redis and PostgreSQL servers that a fault test may stop and restart.

Never the machine's own (6379, 5432): other runs share those. Each server here lives
in a temporary folder, on a free port of 127.0.0.1, and is stopped by the test that
started it (by its pid, never by name).
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_missing() -> str:
    return "" if shutil.which("redis-server") else "redis-server is not installed"


def postgres_missing() -> str:
    if not (PG_BIN / "pg_ctl").exists():
        return f"no PostgreSQL binaries in {PG_BIN}"
    if os.geteuid() == 0 and not _postgres_user():
        return "running as root and there is no postgres user to run a private PostgreSQL"
    return ""


def _postgres_user():
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


def _as_owner(cmd: list) -> list:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, cmd)]
    return cmd


class PrivateRedis:
    """redis-server on its own port; `appendonly` as in docker-compose.yml (yes) or not."""

    def __init__(self, appendonly: bool):
        self.appendonly = appendonly
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="fault-redis-")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)

    def start(self) -> "PrivateRedis":
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        cmd += ["--save", "", "--dir", self.dir, "--daemonize", "no"]
        cmd += ["--appendonly", "yes" if self.appendonly else "no"]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("the private Redis did not start")

    def stop(self, kill: bool = False) -> None:
        """SIGTERM: Redis's own shutdown (the append-only file is flushed); SIGKILL: a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            self.proc.wait(10)

    def restart(self, kill: bool = False) -> None:
        self.stop(kill)
        self.start()

    def cleanup(self) -> None:
        self.stop(kill=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    """A PostgreSQL cluster of its own (initdb, pg_ctl), trust authentication, user postgres."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="fault-pg-")
        self.data = Path(self.dir) / "data"
        self.log = Path(self.dir) / "log"
        if os.geteuid() == 0:
            owner = _postgres_user()
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> "PrivatePostgres":
        subprocess.run(
            _as_owner([PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-N"]),
            check=True,
            capture_output=True,
        )
        # Small and quick: no fsync (a test server), few connections.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
            conf.write("max_connections = 40\nshared_buffers = 16MB\n")
        return self

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        subprocess.run(
            _as_owner(
                [PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", *args]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        """Fast shutdown: open sessions are ended, as when the server's container restarts."""
        self._ctl("stop", "-m", "fast")

    def running(self) -> bool:
        status = subprocess.run(
            _as_owner([PG_BIN / "pg_ctl", "-D", self.data, "status"]),
            capture_output=True,
            check=False,
        )
        return status.returncode == 0

    def createdb(self, name: str) -> None:
        subprocess.run(
            [PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )

    def load_schema(self, source_url: str, name: str) -> None:
        """The tables, indexes and constraints of `source_url`'s database, no rows
        (CalledProcessError if it cannot be read)."""
        dump = subprocess.run(
            [PG_BIN / "pg_dump", "--schema-only", "--no-owner", "--no-privileges", source_url],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [PG_BIN / "psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )

    def cleanup(self) -> None:
        if self.data.exists() and self.running():
            subprocess.run(
                _as_owner([PG_BIN / "pg_ctl", "-D", self.data, "stop", "-m", "immediate"]),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.dir, ignore_errors=True)
