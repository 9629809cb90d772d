"""The inbox's filters: one form, and one function every list and export reuses.

`inbox_queryset(org, params)` turns query parameters (a QueryDict or a dict) into
the organisation's mentions, filtered and ordered; invalid parameters are ignored
one by one rather than emptying the list. `org` may also be a list of organisations
(a consultant's inbox across clients, reputation/inbox/clients.py): the same filters
over all of them.
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models import Source
from reputation.dashboard.stats import ASPECT_LABELS
from reputation.inbox.models import Tag
from reputation.inbox.widgets import WidgetRenderer
from reputation.mentions.models import Mention, MentionStatus, Sentiment
from reputation.names.forms import LANGUAGE_CHOICES
from reputation.names.models import TrackedName
from reputation.orgs.models import Membership, Organisation
from reputation.sources.rename import follow_name

PERIODS = [
    ("", _("Any time")),
    ("1", _("Last 24 hours")),
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("365", _("Last 12 months")),
]
DATE = forms.DateInput({"type": "date"})
SORTS = [("recent", _("Most recent first")), ("priority", _("What to answer first"))]
# Days outside these years mean a typo or a crafted address: 9999-12-31 plus one day
# overflows Python's dates. Refused with a sentence rather than a server error.
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)


def scope(org, prefix: str = "") -> dict:
    """The lookup of one organisation's rows, or of several organisations' rows."""
    if isinstance(org, Organisation):
        return {f"{prefix}organisation": org}
    return {f"{prefix}organisation__in": list(org)}


def _check_day(value) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise forms.ValidationError(
            _("Choose a day between %(first)s and %(last)s."),
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


def day_field(label) -> forms.DateField:
    """A day of the filters, refused with a sentence outside FIRST_DAY..LAST_DAY."""
    widget = forms.DateInput({"type": "date"})
    return forms.DateField(label=label, required=False, widget=widget, validators=[_check_day])


class _ReadOnce(forms.models.ModelChoiceIterator):
    """The options of a list read from the database once per form: Django's iterator
    runs the query again each time the list is drawn, through a server-side cursor
    on PostgreSQL (three statements each), for every list of every inbox page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # evaluated once, then its cached rows
            yield self.choice(obj)


class ListChoiceField(forms.ModelChoiceField):
    iterator = _ReadOnce


class InboxFilterForm(forms.Form):
    # Its drop-down lists (a hundred options and more) and boxes written without templates.
    default_renderer = WidgetRenderer()

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    name = ListChoiceField(
        label=_("Name"), queryset=TrackedName.objects.none(), required=False,
        to_field_name="code", empty_label=_("All own names"),
        help_text=_("Competitors' mentions are shown only when you choose one here."),
    )  # fmt: skip
    sentiment = forms.MultipleChoiceField(
        label=_("Tone"), choices=Sentiment.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=MentionStatus.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    source = ListChoiceField(
        label=_("Source"), queryset=Source.objects.none(), required=False,
        to_field_name="code", empty_label=_("All sources"),
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *LANGUAGE_CHOICES], required=False
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    tag = ListChoiceField(
        label=_("Tag"), queryset=Tag.objects.none(), required=False,
        to_field_name="code", empty_label=_("All tags"),
    )  # fmt: skip
    author = forms.CharField(label=_("Author"), required=False, max_length=300)
    aspect = forms.ChoiceField(
        label=_("Subject"), choices=[("", _("All subjects")), *ASPECT_LABELS.items()],
        required=False,
    )  # fmt: skip
    # What the dashboard's figures count: without the undated backlog of a source's
    # first poll (rollups.in_figures). Set by the links from a figure, so that the
    # inbox shows the very mentions the figure counts.
    counted = forms.BooleanField(
        label=_("Only mentions counted in the dashboard's figures"), required=False
    )
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    since = day_field(_("From"))
    until = day_field(_("To"))
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def clean(self):
        # Reversed days would silently show nothing: say so next to the dates.
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def __init__(self, org, data=None, user=None, members=None):
        super().__init__(data or {})
        self.org, self.user = org, user
        self.fields["name"].queryset = TrackedName.objects.filter(**scope(org))
        # Each source under the organisation's own name for it, if any.
        self.fields["source"].queryset = Source.objects.filter(**scope(org, "follows__")).defer(
            "config"
        )
        if isinstance(org, Organisation):
            self.fields["source"].queryset = self.fields["source"].queryset.annotate(
                follow_name=follow_name(org, "pk")
            )
            self.fields["source"].label_from_instance = lambda s: s.follow_name or str(s)
        else:  # several clients: each name and tag says whose it is
            self.fields["source"].queryset = self.fields["source"].queryset.distinct()
            self.fields["name"].queryset = self.fields["name"].queryset.select_related(
                "organisation"
            )
            self.fields["name"].label_from_instance = lambda t: f"{t.label} ({t.organisation})"
        self.fields["tag"].queryset = Tag.objects.filter(**scope(org)).select_related(
            "organisation"
        )
        if not isinstance(org, Organisation):
            self.fields["tag"].label_from_instance = lambda t: f"{t.name} ({t.organisation})"
        if members is None:
            members = member_choices(org)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *members,
        ]


def member_choices(org) -> list[tuple[str, str]]:
    """(user id, name) of the organisation's (or organisations') members, for assignee
    choices."""
    rows = Membership.objects.filter(**scope(org)).select_related("user").order_by("user_id")
    people = {m.user_id: m.user.get_full_name() or m.user.email for m in rows}
    return [(str(pk), name) for pk, name in people.items()]


def search(qs: QuerySet, text: str) -> QuerySet:
    """Full-text search of the snippets: PostgreSQL's search (GIN index created by
    mentions/migrations/0002_search_index) with the "simple" configuration, so French
    and English words match as typed; on SQLite, every word must appear (case-insensitive)."""
    text = text.strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return qs.alias(fts=SearchVector("snippet", config="simple")).filter(
            fts=SearchQuery(text, config="simple", search_type="websearch")
        )
    for word in text.split()[:10]:
        qs = qs.filter(snippet__icontains=word.strip('"'))
    return qs


def _day_start(day, zone, end=False) -> datetime:
    """The start of a day (or of the day after) in the organisation's time zone: its
    days are the dashboard's days (the rollups count them so)."""
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return moment.replace(tzinfo=zone)


def with_aspect(qs: QuerySet, aspect: str) -> QuerySet:
    """Mentions whose aspects include this one. PostgreSQL asks its JSON containment;
    SQLite has none, so the JSON text is searched for the quoted key (keys are plain
    lowercase words from ASPECT_LABELS, so the quotes delimit the whole key)."""
    if connection.vendor == "postgresql":
        return qs.filter(aspects__contains=[aspect])
    return qs.filter(aspects__icontains=f'"{aspect}"')


def filter_mentions(org, data: dict, user=None) -> QuerySet:
    """The organisation's mentions filtered by cleaned form data (missing keys ignored).

    The inbox is the organisation's work: its own names only, unless a competitor
    is chosen by name to read what is said of it. "What to answer first" never
    lists a competitor (nobody answers for them), whatever the name chosen.

    Of `org` it reads the id and, for dates, the time zone (so dates need one
    organisation: each one's days are its own): pages.paginate_across compiles it
    once per time zone and puts each client's id in its place.
    """
    qs = Mention.objects.filter(**scope(org))
    priority = data.get("sort") == "priority"
    if data.get("name") and not (priority and data["name"].is_competitor):
        qs = qs.filter(tracked_name=data["name"])
    elif data.get("name"):
        qs = qs.none()
    else:
        qs = qs.own()
    if data.get("q"):
        qs = search(qs, data["q"])
    if data.get("sentiment"):
        qs = qs.filter(sentiment__in=data["sentiment"])
    if data.get("status"):
        qs = qs.filter(status__in=data["status"])
    if data.get("source"):
        qs = qs.filter(source=data["source"])
    if data.get("language"):
        qs = qs.filter(language=data["language"])
    assignee = data.get("assignee")
    if assignee == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assignee and assignee.isdigit():
        qs = qs.filter(assigned_to_id=int(assignee))
    if data.get("tag"):
        qs = qs.filter(tags=data["tag"])
    if data.get("author", "").strip():
        # The rollups count an author by the trimmed signature: so does the filter.
        qs = qs.alias(author_trim=Trim("author")).filter(author_trim=data["author"].strip())
    if data.get("aspect"):
        qs = with_aspect(qs, data["aspect"])
    if data.get("counted"):
        qs = qs.counted()
    if data.get("period"):
        qs = qs.filter(published__gte=timezone.now() - timedelta(days=int(data["period"])))
    if data.get("since"):
        qs = qs.filter(published__gte=_day_start(data["since"], org.zone))
    if data.get("until"):
        qs = qs.filter(published__lt=_day_start(data["until"], org.zone, end=True))
    field = "priority" if priority else "published"
    return qs.order_by(f"-{field}", "-id")


def inbox_queryset(org, params, user=None) -> QuerySet:
    """The mentions the inbox shows for these query parameters, in its order."""
    form = InboxFilterForm(org, params, user=user)
    form.is_valid()
    return filter_mentions(org, getattr(form, "cleaned_data", {}), user)
