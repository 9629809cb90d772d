"""The tracked-name form: a name and its query (spellings, context, exclusions...)."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitoring.models import Source
from monitoring.net.guard import Refused, check_url
from reputation.names import noise
from reputation.names.models import TrackedKind, TrackedName
from reputation.security.limits import LimitReached, clean_lines, too_many_lines

# The languages offered as filters; any other code already stored stays selectable.
LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pt", _("Portuguese")),
]


class LinesField(forms.CharField):
    """A list of strings edited one per line; blank lines and duplicates dropped.

    Bounded (issue 17): at most as many lines as the setting named `max_lines` says,
    each at most NAME_MAX_LENGTH characters, in time linear in the text's length, and
    an oversized text is refused before it is split (a 300 KB post once took 30 s to
    de-duplicate and killed the web workers).
    """

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, max_lines: str = "NAME_MAX_TERMS", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_lines_setting = max_lines  # read when used: settings may change

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        most = getattr(settings, self.max_lines_setting)
        # Before any splitting: more characters than the most lines of the longest
        # length (and their line breaks) cannot be valid.
        if len(text) > most * (settings.NAME_MAX_LENGTH + 2):
            raise forms.ValidationError(too_many_lines(most), code="too_many_lines")
        try:
            return clean_lines(text.splitlines(), most)
        except LimitReached as exc:
            raise forms.ValidationError(exc.message, code="too_many_lines") from exc


class TrackedNameForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrackedKind.choices)
    town = forms.CharField(
        label=_("Town"),
        max_length=100,
        required=False,
        help_text=_("Where the business is: it tells it apart from others of the same name."),
    )
    website = forms.CharField(
        label=_("Website"),
        max_length=2000,
        required=False,
        help_text=_("Its own site, if it has one: we look there for its news and reviews."),
    )
    aliases = LinesField(
        max_lines="NAME_MAX_ALIASES",
        label=_("Other spellings"),
        help_text=_("One per line: abbreviations, old names..."),
    )
    context_terms = LinesField(
        label=_("Context terms"),
        help_text=_(
            "One per line. If given, one of them must also appear: it tells your "
            "business apart from others with the same name (town, trade...)."
        ),
    )
    exclude_terms = LinesField(
        label=_("Excluded terms"), help_text=_("One per line: items containing one are ignored.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: every language."),
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Only in these sources"),
        required=False,
        queryset=Source.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: every source you follow."),
    )

    def __init__(self, *args, organisation, instance: TrackedName | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "label": instance.label,
                "kind": instance.kind,
                "town": instance.town,
                "website": instance.website,
                "aliases": instance.aliases,
                "context_terms": instance.context_terms,
                "exclude_terms": instance.exclude_terms,
                "languages": instance.languages,
                "sources": [s.code for s in instance.sources.all()],
            }
        super().__init__(*args, **kwargs)
        self.organisation, self.instance = organisation, instance
        choices = list(LANGUAGE_CHOICES)
        known = {code for code, _label in choices}
        for code in instance.languages if instance else []:
            if code not in known:
                choices.append((code, code))
        self.fields["languages"].choices = choices
        # Only sources this organisation follows can restrict its names; those a name
        # is already restricted to stay listed after an unfollow, so that saving the
        # name never widens it to every source without anyone choosing so.
        allowed = Q(follows__organisation=organisation)
        if instance is not None:
            allowed |= Q(pk__in=instance.sources.values("pk"))
        self.fields["sources"].queryset = (
            Source.objects.filter(allowed).distinct().order_by("title", "url")
        )

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        others = TrackedName.objects.filter(organisation=self.organisation, label__iexact=label)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("You already track this name."))
        noise.check_name(label)
        return label

    def clean_town(self):
        return " ".join(self.cleaned_data["town"].split())

    def clean_website(self):
        """An address the fetcher would read (http or https, no credentials, no
        private address...): "boulangerie-dupont.fr" is taken for https://."""
        url = self.cleaned_data["website"].strip()
        if not url:
            return ""
        if "://" not in url:
            url = "https://" + url
        try:
            check_url(url, allow_private=bool(settings.FETCH_ALLOW_PRIVATE_ADDRESSES))
        except Refused as exc:
            raise forms.ValidationError(
                _("This is not a website address we can read (e.g. https://www.example.fr)."),
                code="bad_website",
            ) from exc
        return url

    def clean(self):
        cleaned = super().clean()
        # Each spelling is matched on its own: one that identifies nobody floods too.
        for alias in cleaned.get("aliases") or []:
            reason = noise.refusal(alias)
            if reason:
                self.add_error("aliases", reason)
        return cleaned

    def apply(self, tracked: TrackedName) -> list[str]:
        """Copy the cleaned values onto `tracked`; returns the fields to save."""
        fields = [
            "label",
            "kind",
            "town",
            "website",
            "aliases",
            "context_terms",
            "exclude_terms",
            "languages",
        ]
        for name in fields:
            setattr(tracked, name, self.cleaned_data[name])
        return fields
