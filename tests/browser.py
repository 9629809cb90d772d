"""Browser tests drive Debian's chromium with Playwright (never a downloaded browser):
one base class that starts it headless for a test class and stops it after."""

import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

CHROMIUM = "/usr/bin/chromium"

# Slow (a browser process), and skipped where Debian's chromium is not installed.
marks = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


class BrowserTestCase(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop; the live server's ORM calls are safe.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.pw = sync_playwright().start()
        cls.browser = cls.pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.pw.stop()
        super().tearDownClass()


def open_menu(page) -> None:
    """Unfold the top bar's menu on a phone (its links are behind the "Menu" button);
    nothing to do on a laptop or when it is open already."""
    button = page.locator(".menu-toggle")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
