"""The polling that benchmarks run beside what they time, so that the machine carries
a worker's fetch, parse, store and matching (bench load, bench dashboard --polling).

One process polls `n_feeds` local feeds (reputation/tools/feed_server.py, the feeds
of `bench poll`, on five loopback hosts with 100 ms per answer) followed by the given
organisations, batch after batch until stopped, each feed read in full every time.
"""

import time
from contextlib import contextmanager

from monitoring.models import Source, SourceKind
from monitoring.pipeline import poll
from reputation.sources.models import Follow
from reputation.tools.bench_poll import _warm_up, feed_body, real_items
from reputation.tools.feed_server import feed_server

POLL_BATCH = 25


def _poll_loop(ids: list[int], ready, stop, pipe) -> None:
    """The poller process: polls the feeds batch after batch until told to stop,
    each feed read in full every time (its ETag and date forgotten first)."""
    from django.db import connections

    connections.close_all()  # never the parent's connection after fork
    _warm_up()
    ready.set()
    polls, errors, cpu = 0, 0, time.process_time()
    while not stop.is_set():
        for start in range(0, len(ids), POLL_BATCH):
            batch = ids[start : start + POLL_BATCH]
            Source.objects.filter(pk__in=batch).update(etag="", last_modified="")
            reports = poll.poll_now(list(Source.objects.filter(pk__in=batch)))
            polls += len(reports)
            errors += sum(1 for r in reports if r.error)
            if stop.is_set():
                break
    connections.close_all()
    pipe.send((polls, errors, time.process_time() - cpu))


@contextmanager
def poller(orgs, n_feeds: int):
    """A process polling local feeds followed by `orgs`; yields a function
    that stops it and returns (polls, errors, CPU seconds)."""
    import multiprocessing
    from datetime import UTC, datetime

    from django.db import connections

    pool = real_items()
    now = datetime.now(UTC)
    bodies = [feed_body(i, pool, now) for i in range(n_feeds)]
    hosts = [f"127.0.0.{2 + h}" for h in range(5)]
    with feed_server(bodies, hosts, 0.1) as urls:
        Source.objects.bulk_create([Source(url=u, kind=SourceKind.FEED) for u in urls])
        sources = list(Source.objects.filter(url__in=urls).order_by("pk"))
        Follow.objects.bulk_create(
            [Follow(organisation=o, source=s) for o in orgs for s in sources]
        )
        connections.close_all()
        context = multiprocessing.get_context("fork")
        ready, stop = context.Event(), context.Event()
        mine, theirs = context.Pipe()
        proc = context.Process(
            target=_poll_loop, args=([s.pk for s in sources], ready, stop, theirs)
        )
        proc.start()
        # Its models loaded and its first batch under way before anything is timed.
        ready.wait(120)

        def finish():
            stop.set()
            result = mine.recv() if mine.poll(120) else (0, 0, 0.0)
            proc.join(30)
            return result

        try:
            yield finish
        finally:
            if proc.is_alive():
                stop.set()
                proc.join(120)
                if proc.is_alive():
                    proc.kill()  # by its own handle: only the process started here
