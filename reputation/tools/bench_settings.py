"""Settings of the Celery workers `bench round` starts (reputation/tools/bench_round.py).

The product's settings, with what a throwaway run needs: its own queue (BENCH_QUEUE),
so that no other worker on the same Redis takes the bench's tasks and none of the
bench's workers takes theirs; DEBUG off, as Celery warns that DEBUG keeps every query
in memory (the bench measures the workers' memory); feeds served on loopback.
"""

import os

os.environ["DEBUG"] = "0"
# The workers only poll a throwaway database: no session or token is ever signed.
os.environ.setdefault("SECRET_KEY", "bench-round-throwaway-database-only")
os.environ["FETCH_ALLOW_PRIVATE_ADDRESSES"] = "1"

from reputation.settings import *  # noqa: E402, F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]
