"""`Authorization: Bearer <key>`, and what the key may do on this request.

The member's role is read again on every request: a removed member's keys stop
working at once, and so do the keys of a member demoted below what the key's
scopes need (a viewer never writes through a key made when they were an admin).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from reputation.api.models import ApiKey, scopes_for
from reputation.orgs.models import Membership

# last_used is written at most this often per key (not one UPDATE per request).
TOUCH_EVERY = timedelta(minutes=1)


class KeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        kind, _sep, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise exceptions.AuthenticationFailed(
                _("Send the key as: Authorization: Bearer <key>.")
            )
        key = ApiKey.objects.find(token.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or revoked."))
        membership = (
            Membership.objects.select_related("organisation", "user")
            .filter(user_id=key.user_id, organisation_id=key.organisation_id)
            .first()
        )
        if membership is None or not membership.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This API key's member no longer belongs to the organisation.")
            )
        if not set(key.scopes) <= scopes_for(membership.role):
            raise exceptions.AuthenticationFailed(
                _("This API key's member no longer has the role its scopes need.")
            )
        now = timezone.now()
        if key.last_used is None or now - key.last_used > TOUCH_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used=now)
        key.membership = membership
        return membership.user, key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request without a valid key.
        return 'Bearer realm="api"'


class HasScope(permissions.BasePermission):
    """The view's `scopes` map a method to the scope it needs (reading by default)."""

    message = _("This API key does not have the scope this needs.")

    def has_permission(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            return False
        needed = view.scopes.get(request.method, view.scopes.get("*", "mentions:read"))
        return needed in key.scopes
