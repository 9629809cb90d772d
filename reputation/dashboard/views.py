"""The home page, the dashboard of one organisation and the portfolio of a consultant."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from monitoring.models import SourceState
from reputation.access import get_membership
from reputation.dashboard import portfolio as portfolio_rows
from reputation.dashboard import stats
from reputation.dashboard.charts import chart_specs
from reputation.dashboard.figure_links import add_links
from reputation.dashboard.figures import NET_MIN, NET_WINDOW, PRIOR, figures
from reputation.dashboard.periods import PRESETS, period_from
from reputation.mentions.models import Mention
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership
from reputation.replies import figures as reply_figures
from reputation.sources.models import Follow

LATEST = 10


@login_required
def index(request):
    """One organisation: its dashboard; several (a consultant): the portfolio."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("organisation")[:2]
    )
    if len(memberships) == 1:
        return redirect("dashboard", code=memberships[0].organisation.code)
    return redirect("portfolio")


@login_required
def dashboard(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    today = timezone.now().astimezone(org.zone).date()
    period, form = period_from(request.GET, today)
    f = figures(org, period)
    add_links(org, period, f)
    latest = (
        Mention.objects.own()
        .filter(organisation=org)
        .select_related("tracked_name", "source")
        .defer("source__config")
        .order_by("-published")[:LATEST]
    )
    ctx = {
        "org": org,
        "membership": membership,
        "period": period,
        "form": form,
        "presets": PRESETS,
        "f": f,
        "charts": chart_specs(f),
        "prior": PRIOR,
        "mentions": latest,
        "delay": stats.detection_delay(org),
        "replies": reply_figures.for_days(org, period.start, period.end),
        "setup": _setup(org) if not f["current"]["total"] else None,
        "net_min": NET_MIN,
        "net_window": NET_WINDOW,
    }
    return render(request, "reputation/dashboard.html", ctx)


def _setup(org) -> dict:
    """What exists for an empty dashboard to tell: names, sources, the next poll."""
    follows = Follow.objects.filter(organisation=org)
    return {
        "names": TrackedName.objects.filter(organisation=org).count(),
        "sources": follows.count(),
        "next_poll": follows.filter(source__state=SourceState.ACTIVE)
        .order_by("source__next_fetch_at")
        .values_list("source__next_fetch_at", flat=True)
        .first(),
    }


@login_required
def portfolio(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    request.memberships = memberships  # the client switcher reads them from here
    orgs = [m.organisation for m in memberships]
    sort = request.GET.get("sort", "name")
    rows = portfolio_rows.rows(orgs)
    sort, descending = portfolio_rows.sort_rows(rows, sort)
    ctx = {
        "rows": rows,
        "sort": sort,
        "descending": descending,
        "columns": portfolio_rows.column_labels(),
    }
    return render(request, "reputation/portfolio.html", ctx)


def about_bot(request):
    """The crawler's contact page: the address in every request's User-Agent."""
    return render(request, "reputation/about_bot.html", {"user_agent": settings.FETCH_USER_AGENT})
