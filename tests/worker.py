"""Real Celery processes (worker, beat) for end-to-end tests.

They run with the test settings against the test database the test runner created,
and the broker configured for the run: Redis when REDIS_URL is set (CI), else the
embedded filesystem broker under VAR_DIR.
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def purge_broker() -> None:
    from reputation.celery import app

    # No queue yet is fine.
    with app.connection_for_write() as conn, contextlib.suppress(Exception):
        for queue in ("celery", "history"):
            conn.default_channel.queue_purge(queue)


class CeleryProcess:
    def __init__(self, kind: str = "worker", env: dict | None = None, schedule: str = ""):
        """`schedule`: beat's schedule file (by default a new one in a temporary folder)."""
        self.kind = kind
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the process
            prefix=f"celery-{kind}-", suffix=".log", delete=False
        )
        self.tmp = tempfile.mkdtemp(prefix="celery-")
        self.schedule = schedule or f"{self.tmp}/beat-schedule"

    def start(self) -> "CeleryProcess":
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=test_database_url(),
            PYTHONPATH=str(ROOT),
        )
        env.update(self.extra_env)
        cmd = [sys.executable, "-m", "celery", "-A", "reputation", self.kind, "--loglevel=INFO"]
        if self.kind == "worker":
            cmd += [
                "-Q",
                "celery,history",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
            ]
        else:
            cmd += [f"--schedule={self.schedule}"]
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 60) -> "CeleryProcess":
        marker = "ready." if self.kind == "worker" else "beat: Starting"
        wait_for(lambda: marker in self.output(), timeout, message=f"{self.kind} to start")
        return self

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL, as when a machine or container dies: no cleanup runs."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(predicate, timeout: float = 60, interval: float = 0.25, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}")
