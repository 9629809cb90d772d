from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from reputation.models import Membership


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def index(request):
    """One organisation: its dashboard; several (a consultant): the portfolio."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("organisation")[:2]
    )
    if len(memberships) == 1:
        return redirect("dashboard", code=memberships[0].organisation.code)
    return redirect("portfolio")
