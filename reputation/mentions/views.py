"""Correcting a mention's sentiment by hand.

A correction sets the effective sentiment and score and records who made it and
when (Mention.correct); automatic re-scoring then only updates `auto_*`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reputation.access import get_membership, get_mention
from reputation.mentions.forms import SentimentForm


@login_required
@require_POST
def mention_sentiment(request, code, mention_code):
    membership = get_membership(request, code)
    mention = get_mention(membership, mention_code, write=True)
    form = SentimentForm(request.POST)
    if form.is_valid():
        # Rollups, journal, priority and the organisation's learnt tone follow.
        mention.correct(request.user, form.cleaned_data["sentiment"])
        messages.success(request, _("Sentiment saved."))
    else:
        messages.error(request, _("Choose a sentiment."))
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(next_url if safe else "dashboard", *([] if safe else [code]))
