"""Issue 9, point 4: member-written selectors cannot exhaust the CPU.

`b:nth-last-child(3n)` on a page of 80,000 siblings took 51 s in one preview and 12 s
at every poll of a 40,000-sibling page. Selectors are limited to a linear-time
subset (checked when saved and where they run), reading a page has a time budget
enforced where it runs, and Celery tasks have soft and hard time limits; a source
that exceeds them fails alone, with a message."""

import contextlib
import time
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.test import TestCase, override_settings

from monitoring.models import Source
from monitoring.parse.budget import time_budget
from monitoring.parse.selector_safety import UnsafeSelector, check_selector
from monitoring.pipeline import poll
from monitoring.types import SourceError
from reputation.celery import app
from reputation.orgs.models import Organisation
from reputation.sources.follow import follow_source
from reputation.sources.forms import ForumForm, HtmlForm
from tests.httpserver import LocalServer

SIBLINGS = "<html><body><div>" + "<b>x</b>" * 20_000 + "</div></body></html>"
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
    b"<item><title>Fine</title><link>https://f.example/1</link><guid>1</guid></item>"
    b"</channel></rss>"
)


@pytest.mark.parametrize(
    "css",
    [
        "b:nth-last-child(3n)",
        "li:nth-child(2)",
        "p:first-child",
        "a + b",
        "a ~ b",
        "p:has(a)",
        "tr:nth-of-type(odd)",
        "div:not(:last-child)",
        "p:contains('x')",
    ],
)
def test_it_refuses_costly_selectors(css):
    with pytest.raises(UnsafeSelector):
        check_selector(css)


@pytest.mark.parametrize(
    "css",
    [
        "div.review",
        "article.message > .body",
        "#posts li",
        "a[href^='/t/']",
        "div[itemprop=review] span.author",
        "li:not(.ad)",
        ":is(h2, h3) a",
        "*",
    ],
)
def test_it_accepts_the_usual_selectors(css):
    check_selector(css)


def test_it_refuses_costly_selectors_in_the_forms():
    form = HtmlForm({"url": "https://a.example/", "item": "b:nth-last-child(3n)"})
    assert not form.is_valid()
    assert "is not allowed in selectors" in form.errors["item"][0]
    form = ForumForm({"url": "https://a.example/", "post": "div + div"})
    assert not form.is_valid()
    assert "is not allowed in selectors" in form.errors["post"][0]


def test_it_stops_work_past_its_time_budget_where_it_runs():
    started = time.monotonic()
    with pytest.raises(SourceError) as caught, time_budget(0.2):
        while True:  # one long call, no deadline checked between steps
            sum(range(10_000))
    assert time.monotonic() - started < 2
    assert caught.value.code == "too_slow"


def test_it_stops_work_that_swallows_every_exception():
    # Parsers catch Exception on hostile input: the budget must get through them.
    with pytest.raises(SourceError), time_budget(0.2):
        while True:
            with contextlib.suppress(Exception):  # what a defensive parser does
                sum(range(10_000))


def test_it_gives_tasks_soft_and_hard_time_limits():
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT == 300
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT == 360
    assert settings.CELERY_TASK_TIME_LIMIT <= settings.POLL_LEASE_SECONDS


class PollTestCase(TestCase):
    def setUp(self):
        self.server = LocalServer()
        self.server.start()
        self.addCleanup(self.server.stop)
        self.org = Organisation.objects.create(slug="a", name="A")
        self.server.route("/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"})
        self.server.route("/big.html", SIBLINGS.encode(), headers={"Content-Type": "text/html"})
        self.good, _ = follow_source(self.org, self.server.url("/feed.xml"))

    def test_it_fails_a_source_with_a_costly_selector_alone(self):
        for kind, config in (
            ("html", {"item": "b:nth-last-child(3n)"}),
            ("forum", {"post": "b:nth-last-child(3n)"}),
        ):
            bad = Source.objects.create(
                url=self.server.url(f"/big.html?{kind}"), kind=kind, config=config
            )
            follow_source(self.org, bad.url)
            started = time.monotonic()
            reports = {r.source_id: r for r in poll.poll_now([bad, self.good])}
            self.assertLess(time.monotonic() - started, 5)
            self.assertEqual(reports[bad.pk].error_code, "unsafe_selector")
            self.assertIn("nth-last-child", reports[bad.pk].error)
            self.assertEqual(reports[self.good.pk].error, "")

    @override_settings(POLL_PARSE_SECONDS=1.5)
    def test_it_fails_a_source_whose_reading_exceeds_the_budget_alone(self):
        bad = Source.objects.create(
            url=self.server.url("/big.html"), kind="html", config={"item": "b"}
        )
        follow_source(self.org, bad.url)
        real_parse = poll.parse

        def parse(kind, result, config):
            if kind == "html":
                while True:
                    sum(range(10_000))
            return real_parse(kind, result, config)

        with mock.patch("monitoring.pipeline.poll.parse", side_effect=parse):
            reports = {r.source_id: r for r in poll.poll_now([bad, self.good])}
        self.assertEqual(reports[bad.pk].error_code, "too_slow")
        self.assertIn("took longer than 2 s", reports[bad.pk].error)
        self.assertEqual(reports[self.good.pk].error, "")

    def test_it_stops_the_source_at_the_soft_time_limit_and_hands_back_the_others(self):
        bad = Source.objects.create(
            url=self.server.url("/big.html"), kind="html", config={"item": "b"}
        )
        follow_source(self.org, bad.url)
        real_process = poll.process

        def process(source, result, parsed=None):
            if source.pk == bad.pk:
                raise SoftTimeLimitExceeded()
            return real_process(source, result, parsed)

        token = Source.objects.claim([bad.pk, self.good.pk])
        with (
            mock.patch("monitoring.pipeline.poll.process", side_effect=process),
            self.assertRaises(SoftTimeLimitExceeded),
        ):
            poll.poll_leased(token)
        bad.refresh_from_db()
        self.assertEqual(bad.last_error_code, "too_slow")
        self.assertIn("took longer than 300 s", bad.last_error)
        self.assertFalse(Source.objects.filter(lease_token=token).exists())

    @override_settings(PREVIEW_PARSE_SECONDS=1)
    def test_it_stops_a_preview_past_its_budget_with_a_message(self):
        from monitoring.sources import preview

        def parse(kind, result, config):
            while True:
                sum(range(10_000))

        started = time.monotonic()
        with (
            mock.patch("monitoring.sources.preview.parse", side_effect=parse),
            self.assertRaises(SourceError) as caught,
        ):
            preview.preview_forum(self.server.url("/big.html"), {})
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(caught.exception.code, "too_slow")
