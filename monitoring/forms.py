"""Plain Django forms for the workspace pages: sources, tracked names, corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import Source
from reputation.models import Sentiment, TrackedKind, TrackedName

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


def url_field(**kwargs) -> forms.URLField:
    # Addresses typed without a scheme are most often https nowadays. A text input,
    # not type=url: browsers would refuse "boulangerie-dupont.fr" before we could help.
    widget = forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"})
    kwargs.setdefault("widget", widget)
    return forms.URLField(max_length=2000, assume_scheme="https", **kwargs)


class LinesField(forms.CharField):
    """A list of strings edited one per line; blank lines and duplicates dropped."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = []
        for line in (super().to_python(value) or "").splitlines():
            line = line.strip()
            if line and line.lower() not in {x.lower() for x in lines}:
                lines.append(line[:200])
        return lines


def _check_lxml_selector(value: str) -> None:
    # Forum threads are read with lxml + cssselect (monitoring/extract/forum*).
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise forms.ValidationError(
            _("This CSS selector is not valid: %(reason)s"), params={"reason": exc}
        ) from exc


def _check_soup_selector(value: str) -> None:
    # Web pages are read with BeautifulSoup + soupsieve (monitoring/extract/html.py).
    import soupsieve

    try:
        soupsieve.compile(value)
    except (soupsieve.SelectorSyntaxError, ValueError) as exc:
        raise forms.ValidationError(
            _("This CSS selector is not valid: %(reason)s"),
            params={"reason": str(exc).splitlines()[0]},
        ) from exc


def selector_field(label, help_text="", required=False, engine="soup") -> forms.CharField:
    """A CSS selector, refused with the parser's reason when it does not parse."""
    check = _check_lxml_selector if engine == "lxml" else _check_soup_selector
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=500,
        validators=[check],
    )


class FeedForm(forms.Form):
    url = url_field(label=_("Feed address (RSS or Atom)"))


class WebsiteForm(forms.Form):
    url = url_field(label=_("Website or blog address"))


class PickFeedForm(forms.Form):
    feed_url = url_field(label=_("Feed"))


class ForumForm(forms.Form):
    url = url_field(label=_("Forum thread address"))
    post = selector_field(
        _("Post"), _("One element per message, e.g. article.message"), engine="lxml"
    )
    author = selector_field(_("Author"), engine="lxml")
    date = selector_field(_("Date"), engine="lxml")
    body = selector_field(_("Message text"), engine="lxml")
    permalink = selector_field(_("Link to the message"), engine="lxml")

    SELECTORS = ("post", "author", "date", "body", "permalink")

    def config(self) -> dict:
        # Only the overrides given: the extractor guesses the rest by forum software.
        return {k: self.cleaned_data[k] for k in self.SELECTORS if self.cleaned_data.get(k)}


class HtmlForm(forms.Form):
    url = url_field(label=_("Page address"))
    item = selector_field(_("Entry"), _("One element per entry, e.g. div.review"), required=True)
    title = selector_field(_("Title"))
    link = selector_field(_("Link"))
    author = selector_field(_("Author"))
    date = selector_field(_("Date"))
    body = selector_field(_("Text"))
    rating = selector_field(_("Rating"))
    rating_best = forms.FloatField(
        label=_("Best rating"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("E.g. 5 for stars out of five; guessed when empty."),
    )
    follow_links = forms.BooleanField(
        label=_("Open each entry's link to read its full text"), required=False
    )

    SELECTORS = ("item", "title", "link", "author", "date", "body", "rating")

    def config(self) -> dict:
        config = {k: self.cleaned_data[k] for k in self.SELECTORS if self.cleaned_data.get(k)}
        if self.cleaned_data.get("rating_best"):
            config["rating_best"] = self.cleaned_data["rating_best"]
        if self.cleaned_data.get("follow_links"):
            config["follow_links"] = True
        return config


class SearchUrlForm(forms.Form):
    url = url_field(
        label=_("Alert feed address"),
        help_text=_("The RSS address given by Google Alerts, Talkwalker Alerts or a search."),
    )


class SearchPresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Search"))
    tracked = forms.ModelChoiceField(
        label=_("Tracked name"),
        queryset=TrackedName.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("For searches by name: the name and its other spellings are searched."),
    )
    value = forms.CharField(
        label=_("Community, hashtag, account or id"),
        required=False,
        max_length=300,
        help_text=_("For the other searches, e.g. france, #boulangerie, name.bsky.social."),
    )

    def __init__(self, *args, organisation, presets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = presets
        self.fields["tracked"].queryset = TrackedName.objects.filter(organisation=organisation)


class TrackedNameForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrackedKind.choices)
    aliases = LinesField(
        label=_("Other spellings"), help_text=_("One per line: abbreviations, old names...")
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
        # Only sources this organisation follows can restrict its names.
        self.fields["sources"].queryset = Source.objects.filter(
            follows__organisation=organisation
        ).order_by("title", "url")

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        others = TrackedName.objects.filter(organisation=self.organisation, label__iexact=label)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("You already track this name."))
        return label

    def apply(self, tracked: TrackedName) -> list[str]:
        """Copy the cleaned values onto `tracked`; returns the fields to save."""
        fields = ["label", "kind", "aliases", "context_terms", "exclude_terms", "languages"]
        for name in fields:
            setattr(tracked, name, self.cleaned_data[name])
        return fields


CORRECTION_CHOICES = [*Sentiment.choices, ("auto", _("Automatic"))]


class SentimentForm(forms.Form):
    sentiment = forms.ChoiceField(label=_("Sentiment"), choices=CORRECTION_CHOICES)
