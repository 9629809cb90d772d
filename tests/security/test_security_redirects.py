"""safe_next: the one check of the "next" and "back" addresses forms and links carry."""

import pytest
from django.test import RequestFactory

from reputation.security.redirects import safe_next

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "///evil.example/",
    "http://testserver/inbox/",  # this host, but not a path: refused too
    "javascript:alert(1)",
    "/inbox/\r\nSet-Cookie: a=b",
    "/inbox/\x00",
    "\x01/inbox/",
    "",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_it_refuses_what_is_not_a_path_of_this_site(url):
    request = RequestFactory().get("/")
    assert safe_next(request, url, "/default/") == "/default/"


def test_it_keeps_a_path_with_its_query_without_its_fragment():
    request = RequestFactory().get("/")
    assert safe_next(request, "/org/x/inbox/?q=a&page=2#m-1") == "/org/x/inbox/?q=a&page=2"
