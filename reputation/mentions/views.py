"""Correcting a mention's sentiment by hand.

A correction sets the effective sentiment and score and records who made it and
when (Mention.correct); automatic re-scoring then only updates `auto_*`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reputation.access import get_membership, get_mention
from reputation.mentions.forms import SentimentForm
from reputation.security.redirects import safe_next


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
    return redirect(
        safe_next(request, request.POST.get("next", ""), reverse("dashboard", args=[code]))
    )
