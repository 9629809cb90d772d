"""Local servers that follow the review platforms' documented contracts, so that
the connectors (monitoring/connectors/) are tested end to end on 127.0.0.1.

- GoogleServer: OAuth 2 (authorize redirect, token endpoint with authorization_code
  and refresh_token grants, PKCE S256 checked, invalid_grant for revoked tokens),
  Account Management (accounts), Business Information (locations), and My Business
  v4 reviews (pageSize/pageToken -> nextPageToken, 401 for an unknown or expired
  access token, 429 with Retry-After) and PUT .../reviews/{id}/reply.
- TrustpilotServer: GET /v1/business-units/{id}/reviews with the apikey header,
  page/perPage and a "next-page" link.
- TripadvisorServer: GET /api/v1/location/{id}/reviews?key=... (5 latest, no paging).
"""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.httpserver import LocalServer

JSON = {"Content-Type": "application/json"}


def _json(status, value, headers=None):
    return status, {**JSON, **(headers or {})}, json.dumps(value).encode()


def _body(req) -> bytes:
    length = int(req.headers.get("Content-Length") or 0)
    return req.rfile.read(length) if length else b""


def _query(req) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}


def google_review(n, stars="FIVE", comment=None, dated=True):
    review = {
        "name": f"accounts/1/locations/2/reviews/r{n}",
        "reviewId": f"r{n}",
        "reviewer": {"displayName": f"Client {n}"},
        "starRating": stars,
        "comment": comment if comment is not None else f"Avis numéro {n}",
    }
    if dated:
        review["createTime"] = f"2026-01-{n % 28 + 1:02d}T10:00:00.123456789Z"
        review["updateTime"] = review["createTime"]
    return review


class GoogleServer:
    ACCOUNT, LOCATION = "accounts/1", "accounts/1/locations/2"

    def __init__(self, reviews=None, page_size=2):
        self.srv = LocalServer()
        self.reviews = reviews if reviews is not None else [google_review(i) for i in range(5)]
        self.page_size = page_size
        self.codes = {}  # code -> PKCE challenge
        self.refresh_tokens = set()
        self.access_tokens = set()
        self.revoked = False  # every refresh answers invalid_grant
        self.rate_limited = False
        self.token_requests = []
        self.replies = {}
        srv = self.srv
        srv.route("/o/oauth2/v2/auth", handler=self.authorize)
        srv.route("/token", handler=self.token)
        srv.route("/v1/accounts", handler=self.accounts)
        srv.route(f"/v1/{self.ACCOUNT}/locations", handler=self.locations)
        srv.route(f"/v4/{self.LOCATION}/reviews", handler=self.list_reviews)
        for review in self.reviews:
            srv.route(f"/v4/{self.LOCATION}/reviews/{review['reviewId']}/reply", handler=self.reply)

    def start(self):
        self.srv.start()
        return self

    def stop(self):
        self.srv.stop()

    def settings(self) -> dict:
        url = self.srv.url
        return {
            "GOOGLE_CLIENT_ID": "client-id.apps.googleusercontent.com",
            "GOOGLE_CLIENT_SECRET": "client-secret-xyz",
            "GOOGLE_AUTHORIZE_URL": url("/o/oauth2/v2/auth"),
            "GOOGLE_TOKEN_URL": url("/token"),
            "GOOGLE_ACCOUNTS_API": url("/v1"),
            "GOOGLE_LOCATIONS_API": url("/v1"),
            "GOOGLE_REVIEWS_API": url("/v4"),
        }

    def _authorised(self, req) -> bool:
        auth = req.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self.access_tokens

    def authorize(self, req):
        """The owner consents: Google sends the browser back with a code and the state."""
        q = _query(req)
        assert q["response_type"] == "code" and q["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = q["code_challenge"]
        target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
        return 302, {"Location": target, "Content-Length": "0"}, b""

    def new_access_token(self) -> str:
        token = "ya29." + secrets.token_urlsafe(24)
        self.access_tokens.add(token)
        return token

    def token(self, req):
        form = {k: v[0] for k, v in parse_qs(_body(req).decode()).items()}
        self.token_requests.append(form)
        if form.get("client_secret") != "client-secret-xyz":
            return _json(401, {"error": "invalid_client"})
        if form.get("grant_type") == "authorization_code":
            challenge = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "").encode()
            computed = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if challenge is None or computed.decode() != challenge:
                return _json(400, {"error": "invalid_grant"})
            refresh = "1//" + secrets.token_urlsafe(24)
            self.refresh_tokens.add(refresh)
            return _json(
                200,
                {
                    "access_token": self.new_access_token(),
                    "expires_in": 3599,
                    "refresh_token": refresh,
                    "scope": "https://www.googleapis.com/auth/business.manage",
                    "token_type": "Bearer",
                },
            )
        if form.get("grant_type") == "refresh_token":
            if self.revoked or form.get("refresh_token") not in self.refresh_tokens:
                return _json(
                    400, {"error": "invalid_grant", "error_description": "Token has been revoked."}
                )
            return _json(200, {"access_token": self.new_access_token(), "expires_in": 3599})
        return _json(400, {"error": "unsupported_grant_type"})

    def expire_access_tokens(self):
        self.access_tokens.clear()

    def accounts(self, req):
        if not self._authorised(req):
            return _json(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
        return _json(200, {"accounts": [{"name": self.ACCOUNT, "accountName": "Dupont"}]})

    def locations(self, req):
        if not self._authorised(req):
            return _json(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
        return _json(200, {"locations": [{"name": "locations/2", "title": "Boulangerie Dupont"}]})

    def list_reviews(self, req):
        if self.rate_limited:
            return _json(429, {"error": {"code": 429}}, {"Retry-After": "120"})
        if not self._authorised(req):
            return _json(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
        q = _query(req)
        size = min(int(q.get("pageSize", 50)), self.page_size)
        start = int(q.get("pageToken") or 0)
        page = self.reviews[start : start + size]
        answer = {"reviews": page, "totalReviewCount": len(self.reviews), "averageRating": 4.2}
        if start + size < len(self.reviews):
            answer["nextPageToken"] = str(start + size)
        return _json(200, answer)

    def reply(self, req):
        if not self._authorised(req):
            return _json(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
        if req.command != "PUT":
            return _json(405, {"error": {"code": 405}})
        review_id = req.path.split("/")[-2]
        comment = json.loads(_body(req))["comment"]
        self.replies[review_id] = comment
        return _json(200, {"comment": comment, "updateTime": "2026-02-01T10:00:00Z"})


class TrustpilotServer:
    UNIT = "507f191e810c19729de860ea"
    KEY = "tp-api-key-0123456789"

    def __init__(self, count=5, per_page_cap=2):
        self.srv = LocalServer()
        self.cap = per_page_cap
        self.rate_limited = False
        self.reviews = [
            {
                "id": f"{i:024x}",
                "stars": i % 5 + 1,
                "title": f"Titre {i}",
                "text": f"Texte de l'avis {i}",
                "language": "fr",
                "consumer": {"id": "c", "displayName": f"Client {i}"},
                "createdAt": f"2026-01-{i + 1:02d}T10:00:00Z",
            }
            for i in range(count)
        ]
        self.srv.route(f"/v1/business-units/{self.UNIT}/reviews", handler=self.list_reviews)

    def start(self):
        self.srv.start()
        return self

    def stop(self):
        self.srv.stop()

    def list_reviews(self, req):
        if req.headers.get("apikey") != self.KEY:
            return _json(401, {"fault": {"faultstring": "Invalid ApiKey"}})
        if self.rate_limited:
            return _json(429, {"message": "Too many requests"}, {"Retry-After": "60"})
        q = _query(req)
        page, per_page = int(q.get("page", 1)), min(int(q.get("perPage", 20)), self.cap)
        chunk = self.reviews[(page - 1) * per_page : page * per_page]
        links = []
        if page * per_page < len(self.reviews):
            href = self.srv.url(req.path.split("?")[0]) + f"?page={page + 1}&perPage={per_page}"
            links.append({"href": href, "method": "GET", "rel": "next-page"})
        return _json(200, {"links": links, "reviews": chunk})


class TripadvisorServer:
    LOCATION = "188151"
    KEY = "TA0123456789ABCDEF"

    def __init__(self):
        self.srv = LocalServer()
        self.rate_limited = False
        self.reviews = [
            {
                "id": 987654321 + i,
                "lang": "fr",
                "location_id": self.LOCATION,
                "published_date": "2026-01-10T10:15:00Z",
                "rating": 2 + i,
                "url": f"https://www.tripadvisor.com/ShowUserReviews-r{987654321 + i}.html",
                "title": f"Séjour {i}",
                "text": f"Un avis {i}",
                "user": {"username": f"Voyageur{i}"},
            }
            for i in range(3)
        ]
        del self.reviews[2]["published_date"]  # a review without a date
        self.srv.route(f"/api/v1/location/{self.LOCATION}/reviews", handler=self.list_reviews)

    def start(self):
        self.srv.start()
        return self

    def stop(self):
        self.srv.stop()

    def list_reviews(self, req):
        q = _query(req)
        if q.get("key") != self.KEY:
            return _json(401, {"message": "Invalid key"})
        if self.rate_limited:
            return _json(429, {"message": "Limit exceeded"}, {"Retry-After": "30"})
        return _json(200, {"data": self.reviews[:5]})
