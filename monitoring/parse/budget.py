"""A wall-clock budget enforced where the work runs, not only between steps.

Reading a hostile page can spend a long time inside one call (one CSS selector over
80,000 siblings took 51 s): a deadline checked between items never fires. In the
main thread (Celery's prefork workers, the `poll` command, gunicorn's sync workers)
a timer signal interrupts the work and raises `BudgetExceeded`, a SourceError: the
poll records it on that source alone, with a message, and goes on with the others.
Elsewhere (threads) the budget is not enforced by a signal; the deadlines between
items and Celery's task time limits still hold.
"""

import contextlib
import math
import signal
import threading

from django.utils.translation import gettext as _

from monitoring.types import SourceError


class BudgetExceeded(SourceError):
    def __init__(self, seconds: float):
        super().__init__(
            "too_slow",
            _(
                "reading this page took longer than %(seconds)d s and was stopped: the page "
                "is too big or its selectors too costly"
            )
            % {"seconds": math.ceil(seconds)},
        )


def _enforceable() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # no budget already running
    )


@contextlib.contextmanager
def time_budget(seconds: float):
    """Raise BudgetExceeded in this block once `seconds` have passed (main thread)."""
    if seconds <= 0 or not _enforceable():
        yield
        return

    def expired(signum, frame):
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
