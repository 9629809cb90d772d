"""beat's scheduler: what it remembers survives a kill, and forgetting costs no run.

Celery's PersistentScheduler keeps each entry's last run in the schedule file
(`--schedule`, a volume in docker-compose.yml) and writes it every three minutes: a
beat killed meanwhile ran some tasks that the file does not know, and runs them
again when it starts. Worse, an entry it has never seen (a first start, or a file
lost with its container) runs only a whole interval after the start: a beat
restarted more often than that would never send the hourly digests and reports or
the nightly retention.

So the file is written after every task sent (`beat_sync_every = 1`, see
reputation/celery.py: a few hundred bytes a minute), and an entry without a known
last run is due at once. Every task beat sends is safe to run once more than needed
(polls are claimed with leases, digests and reports are unique per period, the
outbox claims each row): running one at start is a catch-up, never a duplicate.
"""

from datetime import UTC, datetime

from celery.beat import PersistentScheduler, ScheduleEntry

NEVER = datetime(2000, 1, 1, tzinfo=UTC)


class CatchUpEntry(ScheduleEntry):
    """An entry never run is due now, not after its first interval."""

    def __init__(
        self,
        name=None,
        task=None,
        last_run_at=None,
        total_run_count=None,
        schedule=None,
        args=(),
        kwargs=None,
        options=None,
        relative=False,
        app=None,
    ):
        # Positional, as ScheduleEntry.__reduce__ passes them back from the file.
        super().__init__(
            name,
            task,
            last_run_at or NEVER,
            total_run_count,
            schedule,
            args,
            kwargs,
            options,
            relative,
            app,
        )


class Scheduler(PersistentScheduler):
    Entry = CatchUpEntry
