"""`X-Request-Id` on every answer of the site: the client's own, if it is a sane
one (a proxy's or a caller's, to find a request in both logs), otherwise a new
UUID. Kept on `request.request_id` for logs."""

import re
import uuid

SANE = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def request_id(get_response):
    def middleware(request):
        given = request.headers.get("X-Request-Id", "")
        request.request_id = given if SANE.fullmatch(given) else uuid.uuid4().hex
        response = get_response(request)
        response["X-Request-Id"] = request.request_id
        return response

    return middleware
