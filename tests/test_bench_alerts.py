"""Smoke test of `manage.py bench alerts`: a small simulated day runs and prints its
figures (no timing asserted)."""

import re
from io import StringIO

from django.core.management import call_command

from reputation.models import Organisation


def test_it_runs_the_alerts_bench_and_prints_its_figures(transactional_db):
    out = StringIO()
    call_command("bench", "alerts", "--quick", "--size", "9", stdout=out)
    # The bench's rows lived in its own throwaway database, not in this one.
    assert not Organisation.objects.exists()
    text = out.getvalue()
    assert re.search(r"alerts bench: 9 sources, 3 organisations, 1 simulated day", text), text
    assert re.search(
        r"complaints: (\d+) expected, \1 emailed, misses 0, duplicates 0, "
        r"alerts on items published before the follow 0",
        text,
    ), text
    assert re.search(r"publication -> email: median [\d.]+ min, p95 [\d.]+ min", text), text
    assert re.search(r"emails: \d+ in all, [\d.]+ per organisation per day", text), text
    assert text.strip().splitlines()[-1].startswith("summary: p95")
