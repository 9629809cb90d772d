"""Secrets kept in the database (review platforms' tokens and keys), encrypted.

Fernet (AES with an authentication tag) from the `cryptography` package: a stolen
database dump gives no token without the key, and a tampered value fails loudly
instead of being used. The key is CONNECTOR_ENCRYPTION_KEY when set (so that it can
be rotated apart from SECRET_KEY), else derived from SECRET_KEY.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    secret = settings.CONNECTOR_ENCRYPTION_KEY or settings.SECRET_KEY
    # A derived key, never SECRET_KEY itself: the same secret signs sessions.
    digest = hashlib.sha256(b"connector-secrets:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(values: dict) -> str:
    return _fernet().encrypt(json.dumps(values).encode()).decode()


def decrypt(token: str) -> dict:
    """The stored values; {} when there are none or the key changed (reconnect)."""
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}
