"""Benchmarks run by `python manage.py bench NAME`.

Each module named here defines `run(out, **options)` that prints its figures to
`out` (a callable taking one line), with ratios against a baseline run in the same
process, and a one-line summary last. Never timed tests: numbers, for the README.
"""

import importlib

MODULES = {
    "poll": "reputation.tools.bench_poll",
    "round": "reputation.tools.bench_round",
    "match": "monitoring.tools.bench_match",
    "alerts": "reputation.tools.bench_alerts",
    "dashboard": "reputation.dashboard.bench",
    "inbox": "reputation.inbox.bench",
    "load": "reputation.tools.bench_load",
}
NAMES = list(MODULES)


def get(name: str):
    return importlib.import_module(MODULES[name])
