"""Where the workplace's shared data sets are: ../shared/data beside the project, or
the folder SHARED_DATA names. Real feeds, forum threads, news pages and sentiment
sets, read by tests, evaluations and benchmarks; never by the running product."""

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def shared_data(*parts: str) -> Path:
    base = os.environ.get("SHARED_DATA") or PROJECT.parent / "shared" / "data"
    return Path(base).joinpath(*parts)
