"""Opaque cursors over the inbox's keyset pages (reputation/inbox/pages.py).

The inbox's cursor is the last row's (published or priority, id); the API hands it
out base64-encoded so that callers treat it as opaque and the pair may change. A
cursor that is not one of ours is a 400, not a silent first page.
"""

import base64
import binascii

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from reputation.inbox import pages


def encode(inner: str) -> str:
    return base64.urlsafe_b64encode(inner.encode()).decode().rstrip("=") if inner else ""


def decode(cursor: str, qs) -> str:
    """The inbox cursor inside this opaque one, checked against the order of `qs`."""
    if not cursor:
        return ""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        inner = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        inner = ""
    if not inner or pages.decode(inner, pages._field(qs)) is None:
        raise ValidationError({"cursor": [_("This cursor is not one this API gave.")]})
    return inner


def page(qs, cursor: str, size: int) -> tuple[list, str]:
    found = pages.paginate(qs, decode(cursor, qs), size)
    return found.rows, encode(found.next_cursor)
