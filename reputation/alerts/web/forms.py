"""Plain forms of the alerts page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from monitoring.net import guard as netguard
from reputation.alerts.models import DigestFrequency


class PreferenceForm(forms.Form):
    instant = forms.BooleanField(
        required=False, label=_("Email me at once about negative mentions")
    )
    threshold = forms.IntegerField(
        min_value=0,
        max_value=100,
        label=_("Only when at least this severe (0-100)"),
        help_text=_("50 by default: clearly negative and recent. The others go to the digest."),
    )
    spikes = forms.BooleanField(
        required=False, label=_("Email me when bad mentions pile up (possible crisis)")
    )
    digest = forms.ChoiceField(choices=DigestFrequency.choices, label=_("Digest"))
    monthly_report = forms.BooleanField(
        required=False, label=_("Email me the monthly report (PDF)")
    )
    tracked_names = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Names"),
        help_text=_("None ticked: all the organisation's own names (not competitors)."),
    )
    quiet_start = forms.TimeField(
        required=False,
        label=_("Quiet hours from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In the organisation's time zone. Alerts wait until the end."),
    )
    quiet_end = forms.TimeField(
        required=False,
        label=_("to"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the emails"))

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracked_names"].choices = [(str(t.code), t.label) for t in names]

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError(_("Give both ends of the quiet hours, or neither."))
        return data


class OrgAlertForm(forms.Form):
    time_zone = forms.CharField(max_length=64, label=_("Time zone"))

    def clean_time_zone(self):
        import zoneinfo

        value = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Unknown time zone, e.g. Europe/Paris."))
        return value


class WebhookForm(forms.Form):
    url = forms.URLField(max_length=2000, assume_scheme="https", label=_("Webhook address"))

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            netguard.check_url(url, allow_private=settings.FETCH_ALLOW_PRIVATE_ADDRESSES)
        except netguard.Refused as exc:
            raise forms.ValidationError(_("This address cannot receive alerts.")) from exc
        return url
