"""Benchmarks run by `python manage.py bench NAME`.

Each module here defines `run(out, **options)` that prints its figures to `out`
(a callable taking one line), with ratios against a baseline run in the same
process, and a one-line summary last. Never timed tests: numbers, for the README.
"""

import importlib

# The product's benchmarks live with the product: this only names their modules.
MODULES = {
    "poll": "monitoring.bench.poll",
    "match": "monitoring.bench.match",
    "dashboard": "reputation.dashboard.bench",
}
NAMES = list(MODULES)


def get(name: str):
    return importlib.import_module(MODULES[name])
