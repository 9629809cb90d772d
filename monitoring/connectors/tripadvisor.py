"""Tripadvisor: a location's few latest reviews through the Content API.

GET {api}/location/{locationId}/reviews?key=...&language=fr: at most 5 reviews, the
latest, without pagination (the Content API gives no more). Reviews: id, lang,
published_date, rating (1..5), url, title, text, user.username. Replying is not
offered by the Content API: owners answer on Tripadvisor.
"""

import re
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.connectors.base import REFUSED, Connector, PlatformError, parse_time, text_of
from monitoring.parse.sanitize import safe_url
from monitoring.types import Entry

LOCATION = re.compile(r"\d{1,20}")
API_KEY = re.compile(r"[A-Za-z0-9_\-]{8,200}")


class Tripadvisor(Connector):
    key = "tripadvisor"
    name = "Tripadvisor"
    home = "https://www.tripadvisor.com/"

    def validate(self, account_id: str, api_key: str) -> None:
        if not LOCATION.fullmatch(account_id or ""):
            raise PlatformError(REFUSED, _("a Tripadvisor location id is a number"))
        if not API_KEY.fullmatch(api_key or ""):
            raise PlatformError(REFUSED, _("this API key does not look like a Tripadvisor key"))

    def revoked_message(self) -> str:
        return _("Tripadvisor refuses our key: check it, its domain restriction, or its budget")

    def fetch_reviews(self, account, since: datetime | None) -> list[Entry]:
        key = account.get_secrets().get("api_key", "")
        self.validate(account.account_id, key)
        url = f"{settings.TRIPADVISOR_API}/location/{account.account_id}/reviews"
        try:
            answer = self.call("GET", url, params={"key": key, "language": "fr"})
        except PlatformError as exc:
            if exc.status in (401, 403):
                account.mark_revoked()
            raise
        reviews = [r for r in answer.get("data") or [] if isinstance(r, dict)]
        return [e for e in (self._entry(account, r) for r in reviews[:50]) if e]

    def _entry(self, account, review: dict) -> Entry | None:
        review_id = review.get("id")
        if isinstance(review_id, int):
            review_id = str(review_id)
        if not isinstance(review_id, str) or not LOCATION.fullmatch(review_id):
            return None
        rating = review.get("rating")
        rating = rating if isinstance(rating, int | float) and 1 <= rating <= 5 else None
        user = review.get("user") if isinstance(review.get("user"), dict) else {}
        title, text = text_of(review.get("title"), 500), text_of(review.get("text"))
        url = safe_url(text_of(review.get("url"), 2000))
        return Entry(
            guid=review_id,
            url=url if url.startswith("https://") else f"{self.home}#{review_id}",
            title=account.label,
            text=f"{title}\n{text}" if title else text,
            author=text_of(user.get("username"), 300),
            published=parse_time(review.get("published_date")),
            rating=round(rating / 5, 4) if rating else None,
            language=text_of(review.get("lang"), 8),
        )
