from django import forms
from django.utils.translation import gettext_lazy as _

from reputation.privacy.models import PrivacyRequest

RETENTION_MIN, RETENTION_MAX = 1, 120


class RetentionForm(forms.Form):
    retention_months = forms.IntegerField(
        label=_("Keep mentions for (months)"),
        min_value=RETENTION_MIN,
        max_value=RETENTION_MAX,
        help_text=_("Older mentions are deleted every night; daily counts without names stay."),
    )


class EraseForm(forms.Form):
    name = forms.CharField(label=_("Name as published"), max_length=300, required=False)
    profile_url = forms.URLField(
        label=_("Profile address"),
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text=_("Publications whose address starts with it are erased too."),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("name", "").strip() or data.get("profile_url", "").strip()):
            raise forms.ValidationError(_("Give a name, a profile address, or both."))
        return data


class DeleteForm(forms.Form):
    confirm = forms.CharField(label=_("Type the organisation's name to confirm"), max_length=200)

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip()
        if typed != self.org.name.strip():
            raise forms.ValidationError(_("The name does not match: nothing was deleted."))
        return typed


class RequestForm(forms.ModelForm):
    # Left empty by people; bots fill every field.
    website = forms.CharField(required=False, widget=forms.HiddenInput)
    profile_url = forms.URLField(
        label=_("Address of your profile or publication (optional)"),
        max_length=2000,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = PrivacyRequest
        fields = ["kind", "name", "email", "profile_url", "organisation_named", "message"]
        labels = {
            "kind": _("Your request"),
            "name": _("Your name as it appears in publications"),
            "email": _("Your email address (for the answer)"),
            "organisation_named": _("The business that monitors you, if you know it (optional)"),
            "message": _("Anything that helps us find you (optional)"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 4000})}
