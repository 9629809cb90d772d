"""Correcting a mention's sentiment by hand.

A correction sets the effective sentiment and score and records who made it and
when; automatic re-scoring then only updates `auto_*` (Mention.set_auto_sentiment).
Choosing "automatic" drops the correction and restores the automatic values.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monitoring.forms import SentimentForm
from reputation.access import get_membership, get_mention
from reputation.dashboard import rollups
from reputation.models import Mention, Sentiment

# Score given to a correction that contradicts the automatic label; one that agrees
# with it keeps the automatic score, which also carries its strength.
CORRECTED_SCORE = {Sentiment.NEGATIVE: -0.5, Sentiment.NEUTRAL: 0.0, Sentiment.POSITIVE: 0.5}


@transaction.atomic
def correct_sentiment(mention: Mention, user, label: str) -> None:
    # The stored sentiment, read under a row lock: two people correcting the same
    # mention at once must move its daily count once, from what it really was.
    old = (
        Mention.objects.select_for_update()
        .filter(pk=mention.pk)
        .values_list("sentiment", flat=True)
        .first()
        or mention.sentiment
    )
    if label == "auto":
        mention.sentiment, mention.score = mention.auto_sentiment, mention.auto_score
        mention.corrected_by, mention.corrected_at = None, None
    else:
        mention.sentiment = label
        agrees = mention.auto_sentiment == label
        mention.score = mention.auto_score if agrees else CORRECTED_SCORE[label]
        mention.corrected_by, mention.corrected_at = user, timezone.now()
        mention.needs_review = False  # a person has looked at it
    mention.save(
        update_fields=["sentiment", "score", "corrected_by", "corrected_at", "needs_review"]
    )
    rollups.move(mention, old, mention.sentiment)


@login_required
@require_POST
def mention_sentiment(request, code, mention_code):
    membership = get_membership(request, code)
    mention = get_mention(membership, mention_code, write=True)
    form = SentimentForm(request.POST)
    if form.is_valid():
        correct_sentiment(mention, request.user, form.cleaned_data["sentiment"])
        messages.success(request, _("Sentiment saved."))
    else:
        messages.error(request, _("Choose a sentiment."))
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(next_url if safe else "dashboard", *([] if safe else [code]))
