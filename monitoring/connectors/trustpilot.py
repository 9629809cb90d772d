"""Trustpilot: a business unit's reviews through the Business Units API.

GET {api}/business-units/{businessUnitId}/reviews with the `apikey` header (the
key of the business's API application), `page` and `perPage`; the answer's
`links` name the "next-page". Reviews: id, stars (1..5), title, text,
consumer.displayName, createdAt. Replying needs Trustpilot's OAuth business user
flow, which this connector does not do (yet): replies are written on Trustpilot.
"""

import re
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.connectors.base import REFUSED, Connector, PlatformError, parse_time, text_of
from monitoring.types import Entry

BUSINESS_UNIT = re.compile(r"[0-9a-f]{24}")
API_KEY = re.compile(r"[A-Za-z0-9_\-]{8,200}")
REVIEW_ID = re.compile(r"[0-9a-f]{24}")
PER_PAGE = 100


class Trustpilot(Connector):
    key = "trustpilot"
    name = "Trustpilot"
    home = "https://www.trustpilot.com/reviews/"

    def validate(self, account_id: str, api_key: str) -> None:
        if not BUSINESS_UNIT.fullmatch(account_id or ""):
            raise PlatformError(
                REFUSED, _("a business unit id is 24 characters, digits and letters a to f")
            )
        if not API_KEY.fullmatch(api_key or ""):
            raise PlatformError(REFUSED, _("this API key does not look like a Trustpilot key"))

    def fetch_reviews(self, account, since: datetime | None) -> list[Entry]:
        key = account.get_secrets().get("api_key", "")
        self.validate(account.account_id, key)
        url = f"{settings.TRUSTPILOT_API}/business-units/{account.account_id}/reviews"
        entries = []
        for page in range(1, settings.CONNECTOR_MAX_PAGES + 1):
            params = {"page": page, "perPage": PER_PAGE, "orderBy": "createdat.desc"}
            try:
                answer = self.call("GET", url, headers={"apikey": key}, params=params)
            except PlatformError as exc:
                if exc.status in (401, 403):
                    account.mark_revoked()
                raise
            reviews = [r for r in answer.get("reviews") or [] if isinstance(r, dict)]
            entries += [e for e in (self._entry(account, r) for r in reviews) if e]
            links = answer.get("links") if isinstance(answer.get("links"), list) else []
            more = any(isinstance(link, dict) and link.get("rel") == "next-page" for link in links)
            # Newest first: a page older than the last poll ends the reading.
            dates = [parse_time(r.get("createdAt")) for r in reviews]
            if since and dates and all(d and d < since for d in dates):
                break
            if not more or not reviews:
                break
        return entries

    def _entry(self, account, review: dict) -> Entry | None:
        review_id = review.get("id")
        if not isinstance(review_id, str) or not REVIEW_ID.fullmatch(review_id):
            return None
        stars = review.get("stars")
        stars = stars if isinstance(stars, int) and 1 <= stars <= 5 else None
        consumer = review.get("consumer") if isinstance(review.get("consumer"), dict) else {}
        title, text = text_of(review.get("title"), 500), text_of(review.get("text"))
        return Entry(
            guid=review_id,
            url=f"{self.home}{review_id}",
            # The business's name, so that its tracked name matches every review.
            title=account.label,
            text=f"{title}\n{text}" if title and not text.startswith(title) else text,
            author=text_of(consumer.get("displayName"), 300),
            published=parse_time(review.get("createdAt")),
            rating=stars / 5 if stars else None,
            language=text_of(review.get("language"), 8),
        )
