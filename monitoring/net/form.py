"""POST a form (application/x-www-form-urlencoded) to an address found on the web.

WebSub hubs take their subscription requests as forms; the hub's address comes from
a feed, so it is hostile like any other: the request goes through the fetcher's
post_json, with its anti-SSRF checks, bounds and no redirects followed.
"""

from urllib.parse import urlencode

from monitoring.net.fetch import Posted, post_json


def post_form(url: str, fields: dict[str, str], timeout: float | None = None) -> Posted:
    """POST `fields` form-encoded; returns the status and the first 1 KB of the answer
    (a hub's reason for a refusal). Raises FetchError when it surely did not arrive."""
    body = urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return post_json(url, body, timeout=timeout, headers=headers, keep=1024)
