"""Smoke test of `manage.py bench alerts`: a small simulated day runs and prints its
figures (no timing asserted). In its own process, as people run it: the bench
replaces the clock and uses a database of its own."""

import os
import re
import subprocess
import sys

from tests.worker import ROOT


def test_it_runs_the_alerts_bench_and_prints_its_figures():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "manage.py", "bench", "alerts", "--quick", "--size", "9"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    text = done.stdout
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"alerts bench: 9 sources, 3 organisations, 1 simulated day", text), text
    assert re.search(
        r"complaints: (\d+) expected, \1 emailed, misses 0, duplicates 0, "
        r"alerts on items published before the follow 0",
        text,
    ), text
    assert re.search(r"publication -> email: median [\d.]+ min, p95 [\d.]+ min", text), text
    assert re.search(r"\d+ of 9 sources held by the cap", text), text
    # Three of the nine feeds name the bench's hub: subscribed, verified, figures apart.
    assert re.search(
        r"websub: \d+ requests to the hub, [1-9]\d* verified, \d+ pushes, 0 refused", text
    ), text
    assert re.search(
        r"  pushed sources: \d+ complaints, median [\d.]+ min, p95 [\d.]+ min", text
    ), text
    assert re.search(
        r"polls per source per day: [\d.]+ on average \(pushed [\d.]+, polled", text
    ), text
    assert re.search(r"emails: \d+ in all, [\d.]+ per organisation per day", text), text
    assert text.strip().splitlines()[-1].startswith("summary: p95")
