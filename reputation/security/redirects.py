"""The one check of a "next" or "back" address a form or a link carries.

Every view that sends people back where they came from asks `safe_next`: an address
typed by someone else (a forged form, a link in an email) must never take a member
to another site (open redirect), nor break the response (a line break in it would
be a header injection that Django answers with an error).
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, url: str, default: str = "") -> str:
    """`url` if it is a path on this site ("/..."), without its fragment; else `default`.

    Paths only: a full address, even to this host, is refused, so that a scheme or a
    host the checks would accept by mistake cannot matter."""
    url = url or ""
    ok = (
        url.startswith("/")
        and not any(ord(ch) < 32 or ord(ch) == 127 for ch in url)
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
    return url.split("#")[0] if ok else default
