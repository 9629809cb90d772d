"""Benchmarks run by `python manage.py bench NAME`.

Each module here defines `run(out, **options)` that prints its figures to `out`
(a callable taking one line), with ratios against a baseline run in the same
process, and a one-line summary last. Never timed tests: numbers, for the README.
"""

import importlib

NAMES = ["poll", "match"]
# Benchmarks of other apps, registered from their AppConfig.ready() (monitoring
# does not import the product): name -> module path.
EXTRA: dict[str, str] = {}


def register(name: str, module: str) -> None:
    EXTRA[name] = module
    if name not in NAMES:
        NAMES.append(name)


def get(name: str):
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(EXTRA.get(name, f"monitoring.bench.{name}"))
