"""Signing a delivery, by the Standard Webhooks scheme (https://www.standardwebhooks.com).

HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>` with the webhook's key
(the base64 after `whsec_`), sent as `webhook-signature: v1,<base64>`. Following the
standard lets a receiver verify with its published libraries, or with the dozen
lines of docs/webhooks.md. The timestamp is in the signed text, so a captured
delivery cannot be replayed later than the receiver's tolerance (5 minutes).
"""

import base64
import hashlib
import hmac


def key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
