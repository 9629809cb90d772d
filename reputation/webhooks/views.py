"""Admins' webhook actions on the alerts page: test, redeliver, a new secret.

Only owners and administrators (get_membership(manage=True): 403 for the others,
404 for another organisation's webhook or delivery)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reputation.access import get_membership
from reputation.alerts.models import Webhook
from reputation.webhooks import deliveries
from reputation.webhooks.models import WebhookDelivery


def _webhook(request, code, webhook_code):
    membership = get_membership(request, code, manage=True)
    return get_object_or_404(Webhook, organisation=membership.organisation, code=webhook_code)


def _back(code, hook):
    return redirect(f"{redirect('alerts', code).url}#webhook-{hook.code}")


@login_required
@require_POST
def send_test(request, code, webhook_code):
    hook = _webhook(request, code, webhook_code)
    deliveries.send_test(hook)
    messages.success(request, _("A test is on its way: its delivery shows below."))
    return _back(code, hook)


@login_required
@require_POST
def redeliver(request, code, webhook_code, delivery_id):
    hook = _webhook(request, code, webhook_code)
    delivery = get_object_or_404(WebhookDelivery, webhook=hook, pk=delivery_id)
    deliveries.redeliver(delivery)
    messages.success(request, _("Sent again, with a new signature: see below."))
    return _back(code, hook)


@login_required
@require_POST
def rotate_secret(request, code, webhook_code):
    hook = _webhook(request, code, webhook_code)
    hook.rotate_secret()
    return show_secret(request, hook)


def show_secret(request, hook):
    """The only page that shows a secret: right after it is made, never again."""
    response = render(request, "webhooks/secret.html", {"org": hook.organisation, "hook": hook})
    response["Cache-Control"] = "no-store"
    return response
