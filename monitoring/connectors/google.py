"""Google Business Profile: the owner's own reviews, and replies to them.

OAuth 2 authorisation code flow with the self-hoster's client (GOOGLE_CLIENT_ID,
GOOGLE_CLIENT_SECRET), scope business.manage, offline access for a refresh token.
Reviews: GET {v4}/accounts/{a}/locations/{l}/reviews (pageSize, pageToken ->
nextPageToken; starRating ONE..FIVE, comment, reviewer.displayName, createTime,
updateTime, reviewReply). Reply: PUT .../reviews/{id}/reply {"comment": ...}.
"""

import base64
import hashlib
import re
import secrets
import time
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from monitoring.connectors.base import (
    AUTH_REVOKED,
    NOT_CONFIGURED,
    Connector,
    PlatformError,
    parse_time,
    text_of,
)
from monitoring.types import Entry

SCOPE = "https://www.googleapis.com/auth/business.manage"
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
LOCATION = re.compile(r"accounts/\d{1,30}/locations/\d{1,30}")
REVIEW_ID = re.compile(r"[A-Za-z0-9_\-]{1,300}")
PAGE_SIZE = 50  # the API's largest page
# An access token this close to its end is refreshed first.
EXPIRY_MARGIN = 60
# Replies longer than this are refused by Google (4096 bytes of UTF-8).
MAX_REPLY_BYTES = 4096


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)[:128]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


class Google(Connector):
    key = "google"
    name = "Google"
    home = "https://business.google.com/reviews"
    can_reply = True
    oauth = True

    def configured(self) -> bool:
        return bool(settings.GOOGLE_CLIENT_ID and settings.GOOGLE_CLIENT_SECRET)

    def revoked_message(self) -> str:
        return _("Google no longer gives us access to these reviews: reconnect Google.")

    # --- authorisation -----------------------------------------------------------

    def authorize_url(self, state: str, redirect_uri: str, challenge: str) -> str:
        if not self.configured():
            raise PlatformError(NOT_CONFIGURED, _("Google is not set up on this server."))
        query = {
            "client_id": settings.GOOGLE_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": SCOPE,
            "access_type": "offline",  # a refresh token, to read while nobody is here
            "prompt": "consent",  # a refresh token again when reconnecting
            "include_granted_scopes": "true",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{settings.GOOGLE_AUTHORIZE_URL}?{urlencode(query)}"

    def exchange_code(self, code: str, redirect_uri: str, verifier: str) -> dict:
        """The tokens for an authorisation code: access_token, refresh_token, expires_at."""
        return self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            }
        )

    def _token(self, form: dict) -> dict:
        form = {
            **form,
            "client_id": settings.GOOGLE_CLIENT_ID,
            "client_secret": settings.GOOGLE_CLIENT_SECRET,
        }
        try:
            answer = self.call("POST", settings.GOOGLE_TOKEN_URL, data=form)
        except PlatformError as exc:
            # invalid_grant (400): the refresh token was revoked or has expired.
            if exc.status in (400, 401):
                raise PlatformError(AUTH_REVOKED, self.revoked_message(), exc.status) from exc
            raise
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformError(AUTH_REVOKED, self.revoked_message())
        expires_in = answer.get("expires_in")
        expires_in = expires_in if isinstance(expires_in, int) else 3600
        tokens = {"access_token": token, "expires_at": time.time() + expires_in}
        if isinstance(answer.get("refresh_token"), str):
            tokens["refresh_token"] = answer["refresh_token"]
        return tokens

    def refresh(self, account) -> str:
        secrets = account.get_secrets()
        if not secrets.get("refresh_token"):
            account.mark_revoked()
            raise PlatformError(AUTH_REVOKED, self.revoked_message())
        try:
            tokens = self._token(
                {"grant_type": "refresh_token", "refresh_token": secrets["refresh_token"]}
            )
        except PlatformError as exc:
            if exc.code == AUTH_REVOKED:
                account.mark_revoked()
            raise
        account.set_secrets(**tokens)
        return tokens["access_token"]

    def _access(self, account) -> str:
        secrets = account.get_secrets()
        if secrets.get("access_token") and secrets.get("expires_at", 0) > time.time() + (
            EXPIRY_MARGIN
        ):
            return secrets["access_token"]
        return self.refresh(account)

    def _authorised(self, account, method: str, url: str, **kwargs) -> dict:
        """A call with the account's access token, refreshed once if Google says 401."""
        for attempt in (1, 2):
            token = self._access(account) if attempt == 1 else self.refresh(account)
            try:
                return self.call(
                    method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs
                )
            except PlatformError as exc:
                if exc.status != 401 or attempt == 2:
                    if exc.code == AUTH_REVOKED:
                        account.mark_revoked()
                    raise
        raise AssertionError("unreachable")

    def locations(self, tokens: dict) -> list[tuple[str, str]]:
        """The business locations these tokens manage: ("accounts/1/locations/2", title)."""
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        found = []
        answer = self.call("GET", f"{settings.GOOGLE_ACCOUNTS_API}/accounts", headers=headers)
        for acc in (answer.get("accounts") or [])[:20]:
            name = acc.get("name") if isinstance(acc, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"accounts/\d{1,30}", name):
                continue
            listed = self.call(
                "GET",
                f"{settings.GOOGLE_LOCATIONS_API}/{name}/locations",
                headers=headers,
                params={"readMask": "name,title", "pageSize": 100},
            )
            for loc in (listed.get("locations") or [])[:100]:
                if not isinstance(loc, dict):
                    continue
                path = f"{name}/{loc.get('name', '')}"
                if LOCATION.fullmatch(path):
                    found.append((path, text_of(loc.get("title"), 300)))
        return found

    # --- reviews -----------------------------------------------------------------

    def fetch_reviews(self, account, since: datetime | None) -> list[Entry]:
        if not LOCATION.fullmatch(account.account_id):
            raise PlatformError(AUTH_REVOKED, self.revoked_message())
        url = f"{settings.GOOGLE_REVIEWS_API}/{account.account_id}/reviews"
        entries, page_token = [], ""
        for _page in range(settings.CONNECTOR_MAX_PAGES):
            params = {"pageSize": PAGE_SIZE, "orderBy": "updateTime desc"}
            if page_token:
                params["pageToken"] = page_token
            answer = self._authorised(account, "GET", url, params=params)
            reviews = [r for r in answer.get("reviews") or [] if isinstance(r, dict)]
            page = [self._entry(account, r) for r in reviews]
            entries += [e for e in page if e is not None]
            page_token = answer.get("nextPageToken")
            # Newest changes first: a page all older than the last poll ends the reading.
            updated = [parse_time(r.get("updateTime")) for r in reviews]
            if since and updated and all(u and u < since for u in updated):
                break
            if not isinstance(page_token, str) or not page_token:
                break
        return entries

    def _entry(self, account, review: dict) -> Entry | None:
        review_id = review.get("reviewId")
        if not isinstance(review_id, str) or not REVIEW_ID.fullmatch(review_id):
            return None
        stars = STARS.get(review.get("starRating"))
        reviewer = review.get("reviewer") if isinstance(review.get("reviewer"), dict) else {}
        return Entry(
            guid=review_id,
            url=f"{self.home}#{review_id}",
            title=account.label,
            text=text_of(review.get("comment")),
            author=text_of(reviewer.get("displayName"), 300),
            # The date it was written; Google always gives one, but never "now".
            published=parse_time(review.get("createTime")),
            rating=stars / 5 if stars else None,
        )

    def post_reply(self, account, review_id: str, text: str) -> None:
        if not REVIEW_ID.fullmatch(review_id or ""):
            raise PlatformError("http_error", _("this review cannot be answered from here"))
        text = (text or "").strip()
        if not text or len(text.encode()) > MAX_REPLY_BYTES:
            raise PlatformError(
                "http_error", _("a reply must hold between 1 and 4096 bytes of text")
            )
        url = f"{settings.GOOGLE_REVIEWS_API}/{account.account_id}/reviews/{review_id}/reply"
        self._authorised(account, "PUT", url, json={"comment": text})
