"""Issue 9, point 10: Content-Security-Policy and Permissions-Policy on every page,
strict enough that an injected inline script would not run (the browser test checks
that in chromium), and templates that need nothing inline."""

import re
from pathlib import Path

from django.urls import reverse

from tests.base import BaseTestCase

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


class HeadersTestCase(BaseTestCase):
    def pages(self):
        self.login(self.alice)
        yield self.client.get(reverse("dashboard", args=[self.org.code]))
        yield self.client.get(reverse("sources", args=[self.org.code]))
        yield self.client.get("/no/such/page/")
        self.client.logout()
        yield self.client.get(reverse("login"))
        yield self.client.get(reverse("healthz"))

    def test_it_sends_a_strict_policy_on_every_page(self):
        for response in self.pages():
            policy = directives(response["Content-Security-Policy"])
            self.assertEqual(policy["script-src"], ["'self'"])
            self.assertEqual(policy["style-src"], ["'self'"])
            self.assertEqual(policy["object-src"], ["'none'"])
            self.assertEqual(policy["base-uri"], ["'none'"])
            self.assertEqual(policy["frame-ancestors"], ["'none'"])
            # "Images from the site only" (README): no data: images either.
            self.assertEqual(policy["img-src"], ["'self'"])
            self.assertIn("camera=()", response["Permissions-Policy"])
            self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_it_allows_data_images_on_the_monthly_report_only(self):
        self.login(self.alice)
        response = self.client.get(reverse("report", args=[self.org.code]))
        self.assertEqual(response.status_code, 200)
        policy = directives(response["Content-Security-Policy"])
        self.assertEqual(policy["img-src"], ["'self'", "data:"])
        self.assertEqual(policy["script-src"], ["'self'"])


def test_it_keeps_scripts_and_styles_out_of_templates():
    inline = [
        (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
        (re.compile(r"<style\b", re.I), "<style> element"),
        (re.compile(r"\sstyle=", re.I), "style= attribute"),
        (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
        (re.compile(r"javascript:", re.I), "javascript: URL"),
    ]
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if path.parent.name == "emails":
            continue  # never served under the policy; mail clients read inline styles only
        text = path.read_text()
        for pattern, what in inline:
            if pattern.search(text):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert found == []
