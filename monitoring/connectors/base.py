"""What every review platform connector offers, and how it talks to its platform.

A connector reads a business's reviews through the platform's official API (never
its pages) and, where the platform allows, posts the owner's reply. Its failures
are PlatformErrors: a SourceError whose code the source page explains and whose
`retry_after` the poll schedule honours.
"""

import json
import logging
import re
from datetime import datetime

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.net.retry import parse_retry_after
from monitoring.types import Entry, SourceError

log = logging.getLogger(__name__)

# Error codes a connector source shows (Source.last_error_code).
AUTH_REVOKED = "auth_revoked"  # the platform refuses our token or key: reconnect
RATE_LIMITED = "rate_limited"  # 429: come back after Retry-After
PLATFORM_DOWN = "platform_down"  # no answer, or 5xx
REFUSED = "http_error"  # another 4xx
NOT_CONFIGURED = "not_configured"  # this server lacks the platform's client id

# An API answer larger than this is not a page of reviews.
MAX_ANSWER_BYTES = 4 * 1024 * 1024


class PlatformError(SourceError):
    def __init__(self, code: str, message: str, status=None, retry_after=None):
        super().__init__(code, message)
        self.status = status
        self.retry_after = retry_after


class Connector:
    """One platform. Subclasses set the class attributes and read reviews."""

    key = ""  # stored in ConnectorAccount.platform and the source's config
    name = ""  # the platform's name, as people know it
    # The address shown for the source (its public home on the platform).
    home = ""
    can_reply = False
    oauth = False  # connected by authorisation (a button) rather than typed keys

    def configured(self) -> bool:
        """Whether this server can use the platform (its client id is set)."""
        return True

    def fetch_reviews(self, account, since: datetime | None) -> list[Entry]:
        raise NotImplementedError

    def post_reply(self, account, review_id: str, text: str) -> None:
        raise PlatformError(REFUSED, _("%(name)s lets nobody reply through its API") % self.names())

    def check(self, account) -> None:
        """Raise PlatformError when the account's credentials do not work (one request)."""
        self.fetch_reviews(account, None)

    def names(self) -> dict:
        return {"name": self.name}

    # --- HTTP --------------------------------------------------------------------

    def call(self, method: str, url: str, **kwargs) -> dict:
        """One request to the platform; its JSON answer, or a PlatformError.

        Base addresses come from settings; the parts typed by people (ids) are
        checked by each connector before they reach a path. Nothing here logs a
        URL or a header: both may carry a key.
        """
        try:
            with httpx.Client(
                timeout=settings.CONNECTOR_TIMEOUT, follow_redirects=False, trust_env=False
            ) as client:
                headers = {"User-Agent": settings.FETCH_USER_AGENT, "Accept": "application/json"}
                headers.update(kwargs.pop("headers", {}))
                with client.stream(method, url, headers=headers, **kwargs) as response:
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_ANSWER_BYTES:
                            raise PlatformError(
                                PLATFORM_DOWN,
                                _("%(name)s sent an answer too large to read") % self.names(),
                            )
        except httpx.HTTPError as exc:
            log.info("%s did not answer (%s)", self.name, type(exc).__name__)
            raise PlatformError(
                PLATFORM_DOWN,
                _("%(name)s did not answer; we will try again later") % self.names(),
            ) from exc
        status = response.status_code
        try:
            answer = json.loads(bytes(body)) if body.strip() else {}
        except ValueError:
            answer = None
        if status < 300 and isinstance(answer, dict):
            return answer
        self.refused(status, answer if isinstance(answer, dict) else {}, response.headers)
        raise PlatformError(
            PLATFORM_DOWN, _("%(name)s sent an answer we cannot read") % self.names(), status
        )

    def refused(self, status: int, answer: dict, headers) -> None:
        """Raise the PlatformError an error status means."""
        retry = parse_retry_after(headers.get("retry-after"))
        if status in (401, 403):
            raise PlatformError(AUTH_REVOKED, self.revoked_message(), status)
        if status == 429:
            raise PlatformError(
                RATE_LIMITED,
                _("%(name)s asks us to slow down; we will come back later") % self.names(),
                status,
                retry,
            )
        if status >= 500:
            raise PlatformError(
                PLATFORM_DOWN,
                _("%(name)s is not working right now (error %(status)s); we will try again")
                % {**self.names(), "status": status},
                status,
                retry,
            )
        if status >= 400:
            raise PlatformError(
                REFUSED,
                _("%(name)s refused the request (error %(status)s)")
                % {**self.names(), "status": status},
                status,
            )

    def revoked_message(self) -> str:
        return _("%(name)s no longer accepts our key: check it, or enter a new one") % self.names()


_FRACTION = re.compile(r"(\.\d+)")


def parse_time(value) -> datetime | None:
    """An RFC 3339 time ("2024-05-01T10:00:00.123Z"), aware; None when absent or bad:
    a review without a date keeps "date unknown", never "now"."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    # Nanoseconds (Google) are more digits than fromisoformat reads: keep six.
    text = _FRACTION.sub(lambda m: m.group(1)[:7], text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else None


def text_of(value, limit: int = 20_000) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""
