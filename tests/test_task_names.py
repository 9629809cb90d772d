"""Every task a service queues by name is registered where it is queued: in a web
process that never imported a tasks module (the free diagnostic once answered 500 in
`make run` with NotRegistered), and in a worker (autodiscovery)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r'"((?:reputation|monitoring)\.[a-z_.]+\.tasks\.[a-z_]+)"')

PROBE = """
import django, sys
django.setup()
from celery.app.task import Task
from reputation import celery
sent = []
Task.delay = lambda self, *args, **kwargs: sent.append(self.name)  # nothing runs
missing = []
for name in sys.argv[1:]:
    try:
        celery.enqueue(name, 0)
    except Exception:
        missing.append(name)
print("sent:", len(sent), "missing:", ",".join(missing))
"""


def queued_names() -> set[str]:
    found = set()
    for package in ("reputation", "monitoring"):
        for path in (ROOT / package).rglob("*.py"):
            found.update(NAME.findall(path.read_text(encoding="utf-8")))
    return found


def test_it_registers_every_task_a_service_queues_by_name():
    names = sorted(queued_names())
    assert len(names) >= 10, names  # the scan itself found the queued tasks
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"sent: {len(names)} missing:", out.stdout
