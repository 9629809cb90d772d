"""A connector source's poll and replies: from its account to the platform.

The poll stage (monitoring/pipeline/poll.py) asks `read` instead of fetching the
source's URL; a PlatformError becomes a failed FetchResult, so that the source's
error, back-off (Retry-After included) and pause work as for any other source.
"""

import logging
from datetime import timedelta

from django.utils.translation import gettext as _

from monitoring.connectors import get
from monitoring.connectors.base import REFUSED, PlatformError
from monitoring.models import ConnectorAccount, Source
from monitoring.types import FetchResult, Parsed

log = logging.getLogger(__name__)

# Reviews edited since the last poll are read again within this margin.
SINCE_MARGIN = timedelta(days=1)


def account_of(source: Source) -> ConnectorAccount | None:
    account_id = (source.config or {}).get("account")
    if not isinstance(account_id, int):
        return None
    return ConnectorAccount.objects.filter(pk=account_id).first()


def _missing() -> PlatformError:
    return PlatformError(REFUSED, _("this platform connection no longer exists: connect it again"))


def read(source: Source) -> tuple[FetchResult, Parsed | None]:
    account = account_of(source)
    connector = get(account.platform) if account else None
    since = source.last_success_at - SINCE_MARGIN if source.last_success_at else None
    try:
        if connector is None:
            raise _missing()
        entries = connector.fetch_reviews(account, since)
    except PlatformError as exc:
        # The code only: the message may name the platform, never a token.
        log.info("connector source %s: %s", source.pk, exc.code)
        return FetchResult(
            url=source.url,
            status=exc.status,
            error=exc.message,
            error_code=exc.code,
            retry_after=exc.retry_after,
        ), None
    title = f"{connector.name} · {account.label}" if account.label else connector.name
    return FetchResult(url=source.url, final_url=source.url, status=200), Parsed(
        entries=entries, title=title
    )


def review_id(url: str) -> str:
    """The platform's id of a review, from the address its entry was stored with."""
    return (url or "").rsplit("#", 1)[-1] if "#" in (url or "") else ""


def post_reply(source: Source, url: str, text: str) -> None:
    """Publish the owner's reply to the review stored at `url`, or raise PlatformError."""
    account = account_of(source)
    connector = get(account.platform) if account else None
    if connector is None:
        raise _missing()
    if not connector.can_reply:
        raise PlatformError(
            REFUSED, _("%(name)s lets nobody reply through its API") % {"name": connector.name}
        )
    connector.post_reply(account, review_id(url), text)
