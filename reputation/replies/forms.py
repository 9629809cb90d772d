from django import forms
from django.utils.translation import gettext_lazy as _

from reputation.replies.defaults import LANGUAGES
from reputation.replies.models import Case, ReplySettings


class ReplySettingsForm(forms.ModelForm):
    class Meta:
        model = ReplySettings
        fields = [
            "signature", "contact_email", "contact_phone",
            "review_days", "severe_hours", "severe_from",
        ]  # fmt: skip

    def clean_review_days(self):
        value = self.cleaned_data["review_days"]
        if not 1 <= value <= 90:
            raise forms.ValidationError(_("Choose between 1 and 90 days."))
        return value

    def clean_severe_hours(self):
        value = self.cleaned_data["severe_hours"]
        if not 1 <= value <= 720:
            raise forms.ValidationError(_("Choose between 1 and 720 hours."))
        return value

    def clean_severe_from(self):
        value = self.cleaned_data["severe_from"]
        if value > 100:
            raise forms.ValidationError(_("Choose between 0 and 100."))
        return value

    def clean_contact_phone(self):
        value = " ".join(self.cleaned_data["contact_phone"].split())
        if value and not all(c.isdigit() or c in "+ .-()" for c in value):
            raise forms.ValidationError(_("A phone number has digits, spaces and + . - ( ) only."))
        return value


class TemplateForm(forms.Form):
    case = forms.ChoiceField(choices=Case.choices)
    language = forms.ChoiceField(choices=[(lang, lang) for lang in LANGUAGES])
    body = forms.CharField(max_length=3000, required=False, strip=True)
    reset = forms.BooleanField(required=False)
