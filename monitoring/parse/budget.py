"""A wall-clock budget enforced where the work runs, not only between steps.

Reading a hostile page can spend a long time inside one call (one CSS selector over
80,000 siblings took 51 s): a deadline checked between items never fires. In the
main thread (Celery's prefork workers, the `poll` command, gunicorn's sync workers)
a timer signal interrupts the work; the block then raises a SourceError ("too_slow"),
which the poll records on that source alone, with a message, before going on with
the others. Elsewhere (threads) the budget is not enforced by a signal; the
deadlines between items and Celery's task time limits still hold.
"""

import contextlib
import math
import signal
import threading

from django.utils.translation import gettext as _

from monitoring.types import SourceError


class _Expired(BaseException):
    """Raised by the timer inside the work. A BaseException, so that the parsers'
    own `except Exception` (hostile input must never crash them) cannot swallow it;
    `time_budget` turns it into a SourceError at its edge."""


def too_slow(seconds: float) -> SourceError:
    return SourceError(
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
    """Raise SourceError("too_slow") from this block once `seconds` have passed."""
    if seconds <= 0 or not _enforceable():
        yield
        return

    def expired(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise too_slow(seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
