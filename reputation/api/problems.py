"""Every API error as an RFC 9457 problem: `application/problem+json` with type,
title, status and detail (and `errors` per field for a 400).

DRF's own exceptions (401, 403, 404, 405, 415, 429, validation errors) and any
other exception of a view (a 500, logged with its traceback) pass through
`exception_handler`; URLs under /api/ that match no view get `not_found`.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_handler
from rest_framework.views import set_rollback

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
}


def problem(status_code: int, detail: str, **extra) -> dict:
    """The problem document. `type` is "about:blank" (the status says it all, RFC
    9457 section 4.2.1) unless `extra` names a more precise one."""
    return {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": str(detail),
        **extra,
    }


def problem_response(status_code: int, detail: str, headers=None, **extra) -> JsonResponse:
    response = JsonResponse(
        problem(status_code, detail, **extra), status=status_code, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _detail(data) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    if isinstance(data, list) and data:
        return " ".join(str(x) for x in data)
    return _("The request is not valid: see `errors`.")


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Nothing here, or not in this key's organisation."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        # Not an API exception: a bug. Logged, answered as a problem, rolled back.
        log.exception("API view failed", exc_info=exc)
        set_rollback()
        return problem_response(500, _("Something went wrong on our side."))
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = response.data if isinstance(response.data, dict) else {}
        detail = _detail(response.data)
    else:
        detail = _detail(response.data)
    data = problem(response.status_code, detail, **extra)
    response.data = data
    response.content_type = CONTENT_TYPE
    return response


def not_found(request, *args, **kwargs):
    return problem_response(status.HTTP_404_NOT_FOUND, _("No such API address."))
