"""Forms of the triage actions: one mention (detail page) or many (bulk)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reputation.inbox.filters import scope
from reputation.inbox.models import Tag
from reputation.mentions.models import Mention, MentionStatus, Sentiment
from reputation.sources.forms import url_field

# A bulk action applies to at most this many mentions (a page and a half).
BULK_MAX = 100


class TriageForm(forms.Form):
    """Every field is optional: each small form of the detail page posts one of them."""

    status = forms.ChoiceField(label=_("Status"), choices=MentionStatus.choices, required=False)
    reply_url = url_field(label=_("Address of your reply"), required=False)
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    add_tag = forms.CharField(label=_("Add a tag"), max_length=60, required=False)
    remove_tag = forms.ModelChoiceField(
        queryset=Tag.objects.none(), to_field_name="code", required=False
    )
    note = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, org, members, data=None):
        super().__init__(data)
        self.fields["assignee"].choices = [("", "—"), ("none", _("Nobody")), *members]
        self.fields["remove_tag"].queryset = Tag.objects.filter(organisation=org)


def bulk_actions(members, tags) -> list:
    """Grouped choices "kind:value" of the bulk action select (groups with options)."""
    groups = [
        (_("Set the status"), [(f"status:{v}", label) for v, label in MentionStatus.choices]),
        (
            _("Assign to"),
            [("assign:none", _("Nobody")), *[(f"assign:{v}", label) for v, label in members]],
        ),
        (_("Add the tag"), [(f"tag:{t.code}", t.name) for t in tags]),
        (_("Correct the tone"), [(f"sentiment:{v}", label) for v, label in Sentiment.choices]),
    ]
    return [(label, options) for label, options in groups if options]


class BulkForm(forms.Form):
    mentions = forms.ModelMultipleChoiceField(
        queryset=Mention.objects.none(), to_field_name="code",
        error_messages={"required": _("Tick at least one mention.")},
    )  # fmt: skip
    action = forms.ChoiceField(
        label=_("Action"), error_messages={"required": _("Choose an action.")}
    )

    def __init__(self, org, members, tags, data=None):
        """`org`: one organisation, or the user's organisations (across clients)."""
        super().__init__(data)
        self.fields["mentions"].queryset = Mention.objects.filter(**scope(org)).select_related(
            "source", "assigned_to", "organisation"
        )
        self.fields["action"].choices = [("", "—"), *bulk_actions(members, tags)]

    def clean_mentions(self):
        mentions = self.cleaned_data["mentions"]
        if len(mentions) > BULK_MAX:
            raise forms.ValidationError(
                _("Choose at most %(n)d mentions at once."), params={"n": BULK_MAX}
            )
        return mentions
