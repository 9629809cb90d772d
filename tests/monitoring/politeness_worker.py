"""One worker process of tests/monitoring/test_host_politeness.py.

    python -m tests.monitoring.politeness_worker READY_FILE GO_FILE URL...

Says it is ready (Django loaded), waits for the go so that every process fetches at
the same moment, fetches the URLs with the real fetcher and prints one JSON line:
the error code and retry_after of each result.
"""

import asyncio
import json
import sys
import time
from pathlib import Path

import django

django.setup()

from monitoring.net.fetch import fetch_many  # noqa: E402
from monitoring.types import FetchRequest  # noqa: E402


def main(ready: str, go: str, urls: list[str]) -> None:
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    results = asyncio.run(fetch_many([FetchRequest(url=u) for u in urls]))
    print(json.dumps([[r.error_code, r.retry_after] for r in results]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
