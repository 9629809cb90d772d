"""`Idempotency-Key` on POST: a retry with the same key and body gets the first
answer again (for 24 hours) instead of doing the work twice; the same key with
another body is a 422 problem; a retry while the first is still running, a 409.

The key is claimed by inserting its row first (unique per organisation), so two
retries arriving together cannot both do the work.
"""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from reputation.api.models import IdempotentAnswer

KEPT = timedelta(hours=24)
HEADER = "Idempotency-Key"


class Conflict(APIException):
    status_code = 409


class Mismatch(APIException):
    status_code = 422


def _hash(request) -> str:
    seen = request.method.encode() + b" " + request.path.encode() + b"\n" + request.body
    return hashlib.sha256(seen).hexdigest()


def idempotent(handler):
    @wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER, "")
        if not key:
            return handler(self, request, *args, **kwargs)
        if len(key) > 255 or not key.isprintable():
            raise ValidationError({HEADER: [_("At most 255 printable characters.")]})
        org = request.auth.organisation
        digest = _hash(request._request)  # read before DRF parses the body
        now = timezone.now()
        IdempotentAnswer.objects.filter(organisation=org, created__lt=now - KEPT).delete()
        try:
            with transaction.atomic():
                row = IdempotentAnswer.objects.create(
                    organisation=org, key=key, request_hash=digest
                )
        except IntegrityError:
            row = IdempotentAnswer.objects.get(organisation=org, key=key)
            if row.request_hash != digest:
                raise Mismatch(_("This Idempotency-Key was used with another request.")) from None
            if not row.status:
                raise Conflict(_("The first request with this key is still running.")) from None
            replay = Response(json.loads(row.body) if row.body else None, status=row.status)
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = handler(self, request, *args, **kwargs)
        except Exception:
            row.delete()  # a failure is not an answer: the retry may do the work
            raise
        if response.status_code >= 500:
            row.delete()
        else:
            row.status = response.status_code
            row.body = json.dumps(response.data, default=str)
            row.save(update_fields=["status", "body"])
        return response

    return wrapper
