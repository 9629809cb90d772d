"""Signed one-click unsubscribe links (django.core.signing: HMAC with SECRET_KEY).

The token names the preference (its public code) and what to turn off; changing
either breaks the signature, so a link cannot be forged nor turned against
someone else's preference. Tokens do not expire: an old email must still work.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from reputation.alerts.models import AlertPreference, DigestFrequency

SALT = "reputation.alerts.unsubscribe"
WHAT = ("instant", "digest", "spikes", "monthly_report")


def make_token(pref: AlertPreference, what: str) -> str:
    assert what in WHAT
    return signing.dumps([str(pref.code), what], salt=SALT, compress=True)


def url(pref: AlertPreference, what: str) -> str:
    return settings.SITE_ROOT + reverse("alerts-unsubscribe", args=[make_token(pref, what)])


def read_token(token: str) -> tuple[AlertPreference, str] | None:
    try:
        code, what = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if what not in WHAT:
        return None
    pref = (
        AlertPreference.objects.filter(code=code).select_related("membership__organisation").first()
    )
    return (pref, what) if pref else None


def apply(pref: AlertPreference, what: str) -> None:
    if what == "digest":
        pref.digest = DigestFrequency.OFF
    else:
        setattr(pref, what, False)
    pref.save(update_fields=["digest" if what == "digest" else what])
