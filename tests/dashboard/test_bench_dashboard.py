"""Smoke test of `manage.py bench dashboard`: it runs and prints its figures (no timing)."""

import os
import re
from io import StringIO

from django.core.management import call_command

from reputation.mentions.models import Mention
from tests.shared import needs

POSTGRES = os.getenv("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@needs("feeds")  # the poller beside the pages polls feeds built from the shared real feeds
def test_it_runs_the_dashboard_bench_and_prints_its_figures(transactional_db):
    out = StringIO()
    call_command("bench", "dashboard", "--quick", "--size", "1000", stdout=out)
    # The bench's rows lived in its own throwaway database, not in this one.
    assert not Mention.objects.exists()
    text = out.getvalue()
    lines = text.strip().splitlines()
    ms = r"median [\d.]+ ms, p95 [\d.]+ ms"
    cpu = ms + r" \(CPU [\d.]+ ms\)"
    for figure in [
        r"generated 4,800 mentions \(and as many items\) in [\d.]+ s; rollups rebuilt",
        rf"dashboard 30 days, request: {cpu}; its figures from raw mentions "
        rf"\(queries alone\): {ms}",
        rf"dashboard 90 days, request: {cpu}",
        rf"portfolio of 20 clients, request: {cpu}; its 7/30-day counts from raw mentions",
        rf"(inbox first page, request|mention list first page, query): {cpu}",
        rf"filtered list \(negative, one name\), page 201, keyset query: {cpu}; OFFSET: {ms}",
    ]:
        assert re.search(figure, text), (figure, text)
    assert re.match(
        r"summary: 1,000 mentions; worst p95 [\d.]+ ms \((under|OVER) the 150 ms goal\)", lines[-1]
    )
    if POSTGRES:
        # Every page timed again beside a poller that really polled.
        for label in ["dashboard 30 days", "portfolio", "inbox first page", "all clients' inbox"]:
            assert re.search(rf"\n  {re.escape(label)}: {cpu}\n", text), (label, text)
        assert re.search(r"polling meanwhile: [1-9]\d* polls \([\d.]+/s\), 0 failed", text)
        assert re.search(
            r"with polling beside, worst p95 [\d.]+ ms \(goal < 100\) and worst CPU median "
            r"[\d.]+ ms \(goal < 40\): (met|NOT met)$",
            lines[-1],
        )
    else:
        assert lines[-1].endswith("; with polling beside: not measured")
