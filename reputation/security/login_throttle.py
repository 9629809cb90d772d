"""Login throttling with django-axes: by account and by address.

After LOGIN_FAILURE_LIMIT wrong passwords for one email address, or from one client
address, logins from it are refused for LOGIN_LOCKOUT_MINUTES, with a page that
says so and links to the password reset. Setting a new password (reset, change,
createorg) clears the account's failures: that is the way out for a user whose
account someone else tried to guess.

Failures are counted per ACCOUNT once the address resolves to one, with the same
normalisation as login itself (accounts/addresses.py): every spelling that logs into
an account ("Alice@X.fr ", fullwidth letters...) shares its counter, and a spelling
that is not the account's (a dotless "ı") does not log into it (issue 17, point 5).
"""

from axes.utils import reset
from django.conf import settings
from django.db.models.signals import post_save
from django.shortcuts import render

from reputation.accounts.addresses import find_user, normalise


def account_key(user) -> str:
    return f"account:{user.pk}"


def username(request, credentials) -> str:
    """The account the typed address logs into, else the normalised address."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    user = find_user(value)
    return account_key(user) if user is not None else normalise(value)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies (which
    append to X-Forwarded-For) the address the outermost trusted proxy saw.
    Never the left part of the header, which the client writes itself."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [p for p in chain if p]
    return chain[-proxies] if len(chain) >= proxies else remote


def lockout_response(request, original_response=None, credentials=None):
    """The page of a locked-out login (429): for how long, and the way out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def _password_set(sender, instance, **kwargs) -> None:
    # AbstractBaseUser keeps the new raw password in `_password` until after save().
    if getattr(instance, "_password", None) is None or instance.pk is None:
        return
    reset(username=account_key(instance))


def connect() -> None:
    post_save.connect(_password_set, sender=settings.AUTH_USER_MODEL, dispatch_uid="axes-reset")
