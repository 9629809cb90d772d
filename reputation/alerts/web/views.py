"""The alerts page (each member's preferences; admins: webhooks, time zone, delays,
failures) and the signed unsubscribe link."""

import statistics

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from reputation.access import get_membership
from reputation.alerts import caps, preferences, unsubscribe
from reputation.alerts.models import Notification, NotificationKind, NotificationStatus, Webhook
from reputation.alerts.web.forms import PreferenceForm, WebhookForm
from reputation.names.models import TrackedName
from reputation.webhooks import deliveries
from reputation.webhooks.views import show_secret

# What a member sets on the preferences page: copied from the form and saved as is.
PREFERENCE_FIELDS = (
    "monthly_report",
    "instant",
    "threshold",
    "spikes",
    "digest",
    "quiet_start",
    "quiet_end",
    "language",
)


def _initial(pref) -> dict:
    return {
        "instant": pref.instant,
        "threshold": pref.threshold,
        "spikes": pref.spikes,
        "digest": pref.digest,
        "monthly_report": pref.monthly_report,
        "tracked_names": [str(t.code) for t in pref.tracked_names.all()],
        "quiet_start": pref.quiet_start,
        "quiet_end": pref.quiet_end,
        "language": pref.language,
    }


def delay_figures(organisation) -> dict | None:
    """Median and 95th percentile of publication -> alert, last 30 days."""
    since = timezone.now() - timezone.timedelta(days=30)
    delays = sorted(
        Notification.objects.filter(
            organisation=organisation,
            kind=NotificationKind.INSTANT,
            status=NotificationStatus.SENT,
            sent_at__gte=since,
            delay__isnull=False,
        ).values_list("delay", flat=True)[:5000]
    )
    if not delays:
        return None
    p95 = delays[min(len(delays) - 1, int(0.95 * len(delays)))]
    return {
        "count": len(delays),
        "median": timezone.timedelta(seconds=statistics.median(delays)),
        "p95": timezone.timedelta(seconds=p95),
    }


@login_required
def alerts(request, code):
    membership = get_membership(request, code)
    org = membership.organisation
    pref = preferences.preference_for(membership)
    names = list(TrackedName.objects.filter(organisation=org))
    form = PreferenceForm(request.POST or None, names=names, initial=_initial(pref))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for field in PREFERENCE_FIELDS:
            setattr(pref, field, data[field])
        pref.save(update_fields=list(PREFERENCE_FIELDS))
        pref.tracked_names.set([t for t in names if str(t.code) in data["tracked_names"]])
        caps.refresh()
        messages.success(request, _("Your alert settings are saved."))
        return redirect("alerts", code)
    notifications = Notification.objects.filter(organisation=org).select_related(
        "preference__membership__user", "webhook"
    )
    if not membership.can_manage:
        notifications = notifications.filter(preference=pref)
    redelivered = deliveries.redelivered(org) if membership.can_manage else set()
    ctx = {
        "org": org,
        "membership": membership,
        "form": form,
        "notifications": notifications[:30],
        "failed": notifications.filter(status=NotificationStatus.FAILED)
        .exclude(pk__in=redelivered)
        .count(),
        "redelivered": redelivered,
        "webhooks": deliveries.with_log(Webhook.objects.filter(organisation=org))
        if membership.can_manage
        else [],
        "webhook_form": WebhookForm(),
        "delays": delay_figures(org) if membership.can_manage else None,
    }
    return render(request, "alerts/alerts.html", ctx)


@login_required
@require_POST
def webhook_add(request, code):
    membership = get_membership(request, code, manage=True)
    form = WebhookForm(request.POST)
    if form.is_valid():
        hook = Webhook.objects.create(
            organisation=membership.organisation,
            url=form.cleaned_data["url"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(request, _("Webhook added."))
        if hook.signed:  # its secret, shown this once
            return show_secret(request, hook)
    else:
        messages.error(request, _("This address cannot receive alerts."))
    return redirect("alerts", code)


@login_required
@require_POST
def webhook_delete(request, code, webhook_code):
    membership = get_membership(request, code, manage=True)
    hook = get_object_or_404(Webhook, organisation=membership.organisation, code=webhook_code)
    hook.delete()
    messages.success(request, _("Webhook removed."))
    return redirect("alerts", code)


# The signed token is the authorisation; mail clients post RFC 8058 one-click
# requests without any cookie, so there is no CSRF token to check.
@csrf_exempt
def unsubscribe_view(request, token):
    found = unsubscribe.read_token(token)
    if found is None:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=400)
    pref, what = found
    done = False
    if request.method == "POST":
        unsubscribe.apply(pref, what)
        done = True
    ctx = {"pref": pref, "what": what, "done": done, "org": pref.membership.organisation}
    return render(request, "alerts/unsubscribe.html", ctx)
