"""Forms of sign-up, organisations, members and invitations."""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from reputation.orgs.models import Organisation, Role

# The zones people pick first, then every other one.
COMMON_ZONES = ["Europe/Paris", "Europe/Brussels", "Europe/Zurich", "America/Montreal"]
TIME_ZONES = [
    (z, z.replace("_", " "))
    for z in COMMON_ZONES + sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
]


def user_exists(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email.strip()).exists()


class PasswordMixin:
    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class SignupForm(PasswordMixin, forms.Form):
    organisation = forms.CharField(label=_("Name of your business or organisation"), max_length=200)
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if user_exists(email):
            raise forms.ValidationError(
                _("An account already uses this address. Log in, then add an organisation.")
            )
        return email


class OrganisationForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES)
    language = forms.ChoiceField(
        label=_("Language of emails"), choices=settings.LANGUAGES, initial="fr"
    )

    class Meta:
        model = Organisation
        fields = ["name", "time_zone", "language"]
        labels = {"name": _("Name")}


def role_choices(inviter) -> list:
    """Roles `inviter` (a membership) may give: an owner any, an admin up to admin."""
    roles = list(Role.choices)
    if inviter.role != Role.OWNER:
        roles = [(v, label) for v, label in roles if v != Role.OWNER]
    return roles


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), initial=Role.MEMBER)

    def __init__(self, inviter, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(inviter)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, inviter, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(inviter)


class AcceptForm(PasswordMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
