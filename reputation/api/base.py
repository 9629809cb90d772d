"""The base of every API view: a key (Bearer), its scope for the method, the
per-key rate limit with its headers, and the key's organisation as the start of
every query."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import APIView

from reputation.access import activate_time_zone
from reputation.api import limits
from reputation.api.auth import HasScope, KeyAuthentication
from reputation.api.models import ApiKey


class OrgView(APIView):
    authentication_classes = [KeyAuthentication]
    permission_classes = [HasScope]
    # HTTP method -> scope it needs ("*": any other method); reading by default.
    scopes: dict = {}

    @property
    def org(self):
        return self.request.auth.organisation

    @property
    def membership(self):
        return self.request.auth.membership

    def check_throttles(self, request):
        if not isinstance(request.auth, ApiKey):
            return
        quota = limits.take(request.auth.pk)
        request.quota = quota
        if quota.exceeded:
            raise exceptions.Throttled(
                wait=quota.reset,
                detail=_("Too many requests with this key: try again in %(n)d s.")
                % {"n": quota.reset},
            )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        activate_time_zone(self.org)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        quota = getattr(request, "quota", None)
        if quota is not None:
            for name, value in quota.headers().items():
                response[name] = value
        return response
