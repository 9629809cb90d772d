"""Issue 16, defect 7: a benchmark checks that what it timed is the answer it meant,
and fails with a clear message otherwise."""

import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import override_settings

from monitoring.tools.bench_check import BenchFailed, expect_page


def test_it_refuses_an_error_page_or_a_page_without_its_content():
    with pytest.raises(BenchFailed, match="answered 400"):
        expect_page(HttpResponse("Bad Request", status=400), "Dupont", "dashboard")
    with pytest.raises(BenchFailed, match="does not contain 'Dupont'"):
        expect_page(HttpResponse("<h1>Autre</h1>"), "Dupont", "dashboard")
    page = HttpResponse("<h1>Dupont</h1>")
    assert expect_page(page, "Dupont", "dashboard") is page


def test_it_fails_the_dashboard_bench_on_pages_that_are_not_the_dashboard(transactional_db):
    # Under production settings the bench once timed 400 pages (DisallowedHost, now
    # allowed by the bench itself); HTTPS redirects are another production setting
    # that answers something else than the page to time.
    with (
        override_settings(SECURE_SSL_REDIRECT=True),
        pytest.raises(CommandError, match=r"dashboard 30 days: answered 301"),
    ):
        call_command("bench", "dashboard", "--quick", "--size", "200", stdout=StringIO())


def test_it_names_the_missing_package_of_the_alerts_bench(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiosmtpd", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "aiosmtpd.controller", raising=False)
    with pytest.raises(CommandError, match=r"aiosmtpd.*make install"):
        call_command("bench", "alerts", "--quick", stdout=StringIO())
