"""Downloads: the inbox's mentions as CSV (its filters, its order), the monthly report."""

import re

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation

from reputation.access import get_membership
from reputation.inbox.filters import InboxFilterForm, filter_mentions
from reputation.reports import csv as mention_csv
from reputation.reports import monthly


@login_required
def export_csv(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    form = InboxFilterForm(org, request.GET, user=request.user)
    if not form.is_valid():
        # A file of every mention when the filters asked for fewer would mislead.
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    # Exactly what the inbox shows for the same query string (its filters and order).
    mentions = filter_mentions(org, form.cleaned_data, request.user)
    name = f"{org.slug}-mentions-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in mention_csv.stream(mentions)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _month(request, organisation):
    """The month asked for (?month=2026-03), else the last complete one."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", request.GET.get("month", ""))
    if found and 1 <= int(found.group(2)) <= 12 and 2000 <= int(found.group(1)) <= 2100:
        return monthly.bounds(organisation, int(found.group(1)), int(found.group(2)))
    today = timezone.localdate()
    last = monthly.previous_month(monthly.bounds(organisation, today.year, today.month)[0])
    return last, monthly.next_month(last)


# Its charts are embedded as data: images (the same HTML is emailed and made a PDF);
# no other page may show a data: image (settings.CONTENT_SECURITY_POLICY).
@csp_update({"img-src": ["data:"]})
@login_required
def report(request, code):
    org = get_membership(request, code).organisation
    start, end = _month(request, org)
    figures = monthly.figures(org, start, end)
    language = translation.get_language()
    if request.GET.get("format") == "pdf":
        response = HttpResponse(monthly.render_pdf(figures, language), "application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{monthly.filename(figures)}"'
        return response
    return HttpResponse(monthly.render_html(figures, language, online=True))
