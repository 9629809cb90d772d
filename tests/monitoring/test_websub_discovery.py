"""WebSub discovery (Link header first, then the feed's links) and push signatures."""

import hashlib
import hmac
import importlib

from celery import current_app
from django.test import SimpleTestCase

from monitoring.parse.feeds import parse_feed
from monitoring.websub.discovery import hub_and_topic
from monitoring.websub.models import Subscription

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id>
<link rel="hub" href="https://hub.example.net/"/><link rel="self" href="/feed.atom"/>
<entry><id>1</id><title>a</title><updated>2026-01-01T00:00:00Z</updated></entry></feed>"""


class DiscoveryTests(SimpleTestCase):
    def test_it_finds_the_hub_and_self_links_of_a_feed(self):
        parsed = parse_feed(ATOM, "https://site.example.org/feed.atom?x=1")
        self.assertEqual(
            hub_and_topic(parsed, {}, "https://site.example.org/feed.atom?x=1"),
            ("https://hub.example.net/", "https://site.example.org/feed.atom"),
        )

    def test_it_prefers_the_link_header_to_the_feed(self):
        parsed = parse_feed(ATOM, "https://site.example.org/feed.atom")
        header = '<https://other.example.net/hub>; rel="hub", </topic>; rel="self alternate"'
        self.assertEqual(
            hub_and_topic(parsed, {"link": header}, "https://site.example.org/feed.atom"),
            ("https://other.example.net/hub", "https://site.example.org/topic"),
        )

    def test_it_names_no_hub_for_a_feed_without_one_nor_for_a_script_address(self):
        plain = ATOM.replace(b'rel="hub"', b'rel="alternate"')
        url = "https://site.example.org/feed.atom"
        self.assertEqual(hub_and_topic(parse_feed(plain, url), {}, url), ("", ""))
        header = '<javascript:alert(1)>; rel="hub"'
        self.assertEqual(hub_and_topic(parse_feed(plain, url), {"link": header}, url), ("", ""))


class SignatureTests(SimpleTestCase):
    def test_it_accepts_sha256_and_sha1_signatures_with_the_secret_only(self):
        sub = Subscription(secret="s3cret")
        body = b"<rss/>"
        for method in ("sha256", "sha1"):
            good = hmac.new(b"s3cret", body, getattr(hashlib, method)).hexdigest()
            self.assertTrue(sub.signature_ok(f"{method}={good}", body))
            self.assertFalse(sub.signature_ok(f"{method}={good}", body + b" "))
        forged = hmac.new(b"other", body, hashlib.sha256).hexdigest()
        self.assertFalse(sub.signature_ok(f"sha256={forged}", body))
        self.assertFalse(sub.signature_ok("md5=abc", body))
        self.assertFalse(sub.signature_ok("", body))


def test_it_schedules_the_subscription_upkeep_every_minute():
    entry = next(
        e
        for e in current_app.conf.beat_schedule.values()
        if e["task"] == "monitoring.websub.tasks.maintain_subscriptions"
    )
    assert entry["schedule"] == 60.0
    module, name = entry["task"].rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), name))
