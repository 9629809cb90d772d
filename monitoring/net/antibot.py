"""Recognise the pages that anti-bot services answer instead of the content.

A source behind such a service will never be readable by a polite robot, and the
user should hear that ("this site blocks automated reading") rather than a bare
"403". `detect` returns the service's name, or "" when the answer looks genuine.

Signals are the ones the services document or that their pages always carry;
bodies are only looked at on error answers (or when a header says "challenge"),
so an article that merely talks about Cloudflare is never taken for a block.
"""

import re

# Only the start of a body is looked at; challenge pages are small.
BODY_HEAD = 64 * 1024

_BODY_SIGNS: list[tuple[str, re.Pattern]] = [
    (
        "Cloudflare",
        re.compile(
            rb"<title>\s*(just a moment|attention required!? \| cloudflare|one more step)"
            rb"|cf-browser-verification|/cdn-cgi/challenge-platform/|cf_chl_opt|cf-error-details",
            re.I,
        ),
    ),
    ("DataDome", re.compile(rb"captcha-delivery\.com|datadome", re.I)),
    (
        "PerimeterX (HUMAN)",
        re.compile(rb"_pxCaptcha|px-captcha|perimeterx", re.I),
    ),
    ("Imperva Incapsula", re.compile(rb"incapsula incident id|_Incapsula_Resource", re.I)),
    (
        "Sucuri",
        re.compile(rb"sucuri website firewall|cloudproxy@sucuri|sucuri\.net/", re.I),
    ),
    (
        "Akamai",
        re.compile(
            rb"<title>\s*access denied\s*</title>[\s\S]{0,2000}"
            rb"errors(\.|&#46;)edgesuite(\.|&#46;)net",
            re.I,
        ),
    ),
    ("Kasada", re.compile(rb"KPSDK", re.I)),
    ("AWS WAF", re.compile(rb"awswaf|aws-waf-token", re.I)),
]

# Statuses these services use for a block or a challenge.
_BLOCK_STATUSES = {202, 401, 403, 405, 406, 409, 429, 503}


def _header_vendor(status: int, headers: dict[str, str]) -> str:
    """Headers that mean "challenge" whatever the status (even 200)."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare"
    if headers.get("x-amzn-waf-action", "").lower() in ("captcha", "challenge", "block"):
        return "AWS WAF"
    if status in _BLOCK_STATUSES:
        if "x-datadome" in headers or "x-dd-b" in headers:
            return "DataDome"
        if "datadome=" in headers.get("set-cookie", "").lower() and status == 403:
            return "DataDome"
        if "x-sucuri-block" in headers:
            return "Sucuri"
        if "x-kpsdk-ct" in headers or "x-kpsdk-cd" in headers:
            return "Kasada"
        server = headers.get("server", "").lower()
        if "akamaighost" in server and status == 403:
            return "Akamai"
        if "x-iinfo" in headers and status == 403:
            return "Imperva Incapsula"
    return ""


def detect(status: int, headers: dict[str, str], body_head: bytes = b"") -> str:
    """The anti-bot service that answered, or "" (headers have lower-case names)."""
    vendor = _header_vendor(status, headers)
    if vendor:
        return vendor
    if status not in _BLOCK_STATUSES or not body_head:
        return ""
    head = body_head[:BODY_HEAD]
    server = headers.get("server", "").lower()
    behind_cloudflare = "cf-ray" in headers or "cloudflare" in server
    for name, pattern in _BODY_SIGNS:
        if name == "Cloudflare" and not behind_cloudflare:
            continue
        if pattern.search(head):
            return name
    return ""
