from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.matching.matcher import parse_term
from monitoring.types import SourceError
from reputation.sources.follow import normalise_source_url


class DiagnosticForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the business"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    town = forms.CharField(
        label=_("Town"),
        max_length=100,
        help_text=_("Tells your business apart from others of the same name."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    website = forms.CharField(
        label=_("Website (optional)"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if parse_term(name) is None or len(name) < 2:
            raise forms.ValidationError(_("Type the name your customers know you by."))
        return name

    def clean_town(self):
        return " ".join(self.cleaned_data["town"].split())

    def clean_website(self):
        website = self.cleaned_data["website"].strip()
        if not website:
            return ""
        if "://" not in website:
            website = "https://" + website
        try:
            return normalise_source_url(website)
        except SourceError as exc:
            raise forms.ValidationError(exc.message) from exc
