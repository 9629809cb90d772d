"""Smoke test of `manage.py bench inbox`: it runs and prints its figures (no timing)."""

import re
from io import StringIO

from django.core.management import call_command

from reputation.mentions.models import Mention


def test_it_runs_the_inbox_bench_and_prints_its_figures(transactional_db):
    out = StringIO()
    call_command("bench", "inbox", "--size", "400", stdout=out)
    # The bench's rows lived in its own throwaway database, not in this one.
    assert not Mention.objects.exists()
    text = out.getvalue()
    lines = text.strip().splitlines()
    assert re.search(r"inbox: 400 mentions created in [\d.]+ s", text), text
    for case in ("recent", "priority", "negative", "open, priority"):
        pattern = (
            rf"inbox {re.escape(case)} +[\d,]+ rows: first page +[\d.]+ ms, "
            r"keyset at [\d,]+ +[\d.]+ ms \(x[\d.]+\), OFFSET +[\d.]+ ms \(x[\d.]+\)"
        )
        assert re.search(pattern, text), (case, text)
    assert re.match(
        r"summary: a keyset page deep in 400 mentions costs x[\d.]+ the first", lines[-1]
    )
