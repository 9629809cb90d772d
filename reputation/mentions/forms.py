"""Forms on mentions: the sentiment correction."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reputation.mentions.models import Sentiment

CORRECTION_CHOICES = [*Sentiment.choices, ("auto", _("Automatic"))]


class SentimentForm(forms.Form):
    sentiment = forms.ChoiceField(label=_("Sentiment"), choices=CORRECTION_CHOICES)
