"""A simulated clock for the fault tests: an hour of outage passes in milliseconds.

    clock = Clock()                 # starts at the real time
    with clock.running():           # every timezone.now() reads the simulated clock
        clock.advance(minutes=1)

The services ask `django.utils.timezone.now()` when they are not given `now`, and the
models' `default=timezone.now` keep the real function object: both are pointed at the
simulated clock while it runs, so that rows written during the outage (notifications,
delivery log, polls, items) carry simulated times. Real servers keep running in real
time; only the calendar is simulated, never a wait.
"""

import contextlib
from datetime import timedelta
from unittest import mock

from django.apps import apps
from django.utils import timezone

REAL_NOW = timezone.now


class Clock:
    def __init__(self, start=None):
        self.at = start or REAL_NOW()

    def now(self):
        return self.at

    def advance(self, **delta):
        self.at += timedelta(**delta)
        return self.at

    @contextlib.contextmanager
    def running(self):
        fields = [
            field
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if field.default is REAL_NOW
        ]
        with mock.patch("django.utils.timezone.now", self.now):
            for field in fields:
                # Field._get_default is a cached_property: an instance attribute wins.
                field._get_default = self.now
            try:
                yield self
            finally:
                for field in fields:
                    field.__dict__.pop("_get_default", None)
