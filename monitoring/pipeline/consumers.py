"""What happens to collected items beyond the collector: the product plugs in here.

The collector knows sources, items and sightings, nothing of who reads them. The
product (reputation) registers one consumer when Django starts (AppConfig.ready):
the poll hands it each source's newly sighted items, and the dispatcher asks it
which sources are worth polling. Without a consumer, every active source is polled
and its items are stored, nothing more (the collector alone, as in its own tests).
"""

from typing import Any, Protocol


class Consumer(Protocol):
    def wanted(self):
        """A filter on Source (a Q or an Exists expression): the sources somebody reads."""

    def prepare(self, source, sightings: list, new_items: list) -> Any:
        """The CPU work on new sightings (matching, scoring) and reads only.

        Run outside the poll's write transaction, so that on SQLite the other workers
        never wait for it. `new_items`: items this poll created (nobody can have
        anything recorded about them yet).
        """

    def save(self, prepared: Any) -> int:
        """Write what prepare found, inside the poll's transaction; returns a count
        (the poll log shows it as the mentions found)."""


_consumer: Consumer | None = None


def register(consumer: Consumer | None) -> None:
    global _consumer
    _consumer = consumer


def current() -> Consumer | None:
    return _consumer


def wanted_filter():
    return _consumer.wanted() if _consumer is not None else None
