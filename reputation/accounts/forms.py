"""Forms of sign-up, organisations, members and invitations."""

import uuid
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reputation import emails
from reputation.accounts.addresses import find_user, valid_address
from reputation.orgs.models import Organisation, Role

# The zones people pick first, then every other one.
COMMON_ZONES = ["Europe/Paris", "Europe/Brussels", "Europe/Zurich", "America/Montreal"]
TIME_ZONES = [
    (z, z.replace("_", " "))
    for z in COMMON_ZONES + sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
]


class AddressField(forms.EmailField):
    """An email address in its one normalised form (accounts/addresses.py); plain
    ASCII before the @, so that no look-alike passes for someone else's address."""

    def to_python(self, value):
        value = super().to_python(value)
        return valid_address(value) if value else value


class PasswordMixin:
    # The address the account will have: the similarity validator compares the
    # password with it here, in the form, rather than later in get_or_create_user
    # where its ValidationError was a server error.
    email = ""

    def clean_password(self):
        password = self.cleaned_data["password"]
        email = self.cleaned_data.get("email") or self.email
        user = get_user_model()(username=email[:150], email=email) if email else None
        password_validation.validate_password(password, user)
        return password


class SignupForm(PasswordMixin, forms.Form):
    organisation = forms.CharField(label=_("Name of your business or organisation"), max_length=200)
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = AddressField(label=_("Your email address"), max_length=254)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    # The same list as the organisation's settings: dates are the organisation's
    # from the first day. Optional so that older forms still sign up (in Paris).
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONES, required=False, initial=COMMON_ZONES[0]
    )
    # Set by the free diagnostic's "Monitor this" button.
    diagnostic = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_time_zone(self):
        return self.cleaned_data["time_zone"] or COMMON_ZONES[0]

    def clean_diagnostic(self):
        # A mangled code only loses the diagnostic, never the sign-up.
        try:
            return uuid.UUID(self.cleaned_data["diagnostic"].strip())
        except ValueError:
            return None


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
    email = AddressField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), initial=Role.MEMBER)

    def __init__(self, inviter, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(inviter)


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

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email


class ResetForm(PasswordResetForm):
    """Django's reset, sent by the product's one email builder (emails/password-reset-*),
    to the account the one normalisation of addresses finds (look-alikes included)."""

    def get_users(self, email):
        user = find_user(email)
        if user is not None and user.is_active and user.has_usable_password():
            yield user

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        to = args[1] if len(args) > 1 else kwargs["to_email"]
        # The link is built on SITE_ROOT (added by the builder), never on the request's Host.
        ctx = {"uid": context["uid"], "token": context["token"], "user": context["user"]}
        emails.send("password-reset", to, ctx, translation.get_language() or "fr")
