"""Smoke test of `manage.py bench load`: gunicorn, the poller and 50 people run and the
figures come out, every answer the page it meant (no timing is asserted)."""

import os
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reputation.mentions.models import Mention
from tests.shared import needs

POSTGRES = os.getenv("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@needs("feeds")  # the poller's feeds are built from the items of the shared real feeds
@pytest.mark.skipif(not POSTGRES, reason="DATABASE_URL is not PostgreSQL: bench load needs it")
def test_it_runs_the_load_bench_and_prints_its_figures(transactional_db):
    out = StringIO()
    call_command("bench", "load", "--quick", "--size", "300", "--workers", "2", stdout=out)
    # The bench's rows lived in its own throwaway database, not in this one.
    assert not Mention.objects.exists()
    text = out.getvalue()
    lines = text.strip().splitlines()
    figures = r"\d+ requests, [\d.]+/s, median \d+ ms, p95 \d+ ms, max \d+ ms, 0 errors"
    for figure in [
        r"generated 4,400 mentions, their rollups, 50 sessions \(10 consultants\) in "
        r"[\d.]+ s; setup flushed by a CHECKPOINT",
        r"gunicorn: 2 sync workers on http://127\.0\.0\.1:\d+, production settings",
        r"each kind of page, 2 at a time \(slowest\): portfolio \d+ ms, .*mention \d+ ms",
        r"polling meanwhile: [1-9]\d* polls of local feeds \([\d.]+/s\), 0 failed",
        rf"\ndashboard: {figures}",
        r"gunicorn's workers: [\d.]+ s of CPU, \d+ ms per request",
        rf"\nall: {figures}",
    ]:
        assert re.search(figure, text), (figure, text)
    assert re.match(
        r"summary: 50 people, 300 mentions per big client, \d+ requests in \d+ s .*"
        r"0 errors: goal \(0 errors, p95 < 300 ms\) (met|NOT met)",
        lines[-1],
    )


@pytest.mark.skipif(POSTGRES, reason="the refusal on another database")
def test_it_refuses_to_run_the_load_bench_without_postgresql(transactional_db):
    with pytest.raises(CommandError, match="bench load needs PostgreSQL"):
        call_command("bench", "load", "--quick", stdout=StringIO())
