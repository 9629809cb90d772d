"""Writing down what happened once a message has left: kept through a database restart.

Once a message is handed over (the mail server took it, the webhook answered), the
outbox must record it: a write lost to a database restart would leave the row
SENDING, then given up as "may have arrived" though it surely did, and a delivery
log without the answer. Such a write is tried again on a fresh connection for
ALERT_DATABASE_RETRY_SECONDS (a restart or a failover takes seconds), never sending
anything again.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

log = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
PAUSE = 0.5  # seconds between two tries


def write(do):
    """`do()`, tried again while the database is away (at most
    ALERT_DATABASE_RETRY_SECONDS); its result."""
    deadline = time.monotonic() + settings.ALERT_DATABASE_RETRY_SECONDS
    while True:
        try:
            return do()
        except DATABASE_DOWN:
            # Inside a transaction, its earlier writes are lost with the connection:
            # only the caller can start again.
            if connection.in_atomic_block or time.monotonic() >= deadline:
                raise
            log.warning("the database failed while recording a sent message", exc_info=True)
            connection.close()  # the next query opens a fresh connection
            time.sleep(PAUSE)
