from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from reputation.access import get_membership
from reputation.dashboard import stats
from reputation.models import Membership, Mention, Sentiment


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def index(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("organisation"))
    if len(memberships) == 1:
        return redirect("dashboard", code=memberships[0].organisation.code)
    orgs = [m.organisation for m in memberships]
    counts = {
        row["organisation"]: row
        for row in Mention.objects.filter(organisation__in=orgs)
        .values("organisation")
        .annotate(
            total=Count("pk"),
            negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
        )
    }
    rows = [(org, counts.get(org.pk, {})) for org in orgs]
    return render(request, "reputation/index.html", {"rows": rows})


@login_required
def dashboard(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    mentions = (
        Mention.objects.filter(organisation=org)
        .select_related("item", "tracked_name", "source")
        # Item bodies can be 100 KB each: the list shows titles and snippets only.
        .defer("item__text", "source__config")
        .order_by("-published")[:50]
    )
    totals = Mention.objects.filter(organisation=org).aggregate(
        total=Count("pk"),
        positive=Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
        neutral=Count("pk", filter=Q(sentiment=Sentiment.NEUTRAL)),
        negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
    )
    ctx = {
        "org": org,
        "membership": membership,
        "mentions": mentions,
        "totals": totals,
        "aspects": stats.aspects_summary(org),
        "delay": stats.detection_delay(org),
    }
    return render(request, "reputation/dashboard.html", ctx)


def about_bot(request):
    """The crawler's contact page: the address in every request's User-Agent."""
    return render(request, "reputation/about_bot.html", {"user_agent": settings.FETCH_USER_AGENT})
