"""Plain forms of the source pages: each kind of source, searches and alert feeds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.parse.selector_safety import UnsafeSelector, check_selector
from monitoring.sources import presets
from monitoring.types import SourceError
from reputation.names.models import TrackedName


def url_field(**kwargs) -> forms.URLField:
    # Addresses typed without a scheme are most often https nowadays. A text input,
    # not type=url: browsers would refuse "boulangerie-dupont.fr" before we could help.
    widget = forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"})
    kwargs.setdefault("widget", widget)
    return forms.URLField(max_length=2000, assume_scheme="https", **kwargs)


def _check_lxml_selector(value: str) -> None:
    # Forum threads are read with lxml + cssselect (monitoring/parse/forum/).
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise forms.ValidationError(
            _("This CSS selector is not valid: %(reason)s"), params={"reason": exc}
        ) from exc


def _check_soup_selector(value: str) -> None:
    # Web pages are read with BeautifulSoup + soupsieve (monitoring/parse/html.py).
    import soupsieve

    try:
        soupsieve.compile(value)
    # soupsieve raises NotImplementedError for what it parses but cannot run
    # (pseudo-elements such as div::before).
    except (soupsieve.SelectorSyntaxError, ValueError, NotImplementedError) as exc:
        raise forms.ValidationError(
            _("This CSS selector is not valid: %(reason)s"),
            params={"reason": str(exc).splitlines()[0]},
        ) from exc


def _check_safe_selector(value: str) -> None:
    try:
        check_selector(value)
    except UnsafeSelector as exc:
        raise forms.ValidationError(exc.message) from exc


def selector_field(label, help_text="", required=False, engine="soup") -> forms.CharField:
    """A CSS selector, refused with the parser's reason when it does not parse, or
    when it is outside the subset that stays fast on any page (selector_safety)."""
    check = _check_lxml_selector if engine == "lxml" else _check_soup_selector
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=500,
        validators=[check, _check_safe_selector],
    )


class FeedForm(forms.Form):
    url = url_field(label=_("News feed address (RSS or Atom)"))


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
        help_text=_("The RSS address given by Google Alerts or Talkwalker Alerts."),
    )

    def clean_url(self):
        # The same rule as the alert presets (monitoring.sources.presets.alert_feed).
        try:
            return presets.alert_feed(self.cleaned_data["url"])
        except SourceError as exc:
            raise forms.ValidationError(exc.message) from exc


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
