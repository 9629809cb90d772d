"""Downloads: mentions as CSV (with the inbox's simple filters), the monthly report."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.utils import timezone

from reputation.access import get_membership
from reputation.models import Mention
from reputation.reports import csv as mention_csv
from reputation.reports.filters import filter_mentions


@login_required
def export_csv(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    mentions = filter_mentions(Mention.objects.filter(organisation=org), org, request.GET)
    name = f"{org.slug}-mentions-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in mention_csv.stream(mentions.order_by("-published"))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
