"""What the API shows and accepts. Output serializers read the models as they are;
input serializers only validate: the changes go through the same model methods
and triage functions as the pages (reputation/api/updates.py)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from monitoring.net import guard as netguard
from monitoring.parse.sanitize import safe_url
from reputation.alerts.models import AlertPreference, DigestFrequency, Webhook, WebhookKind
from reputation.inbox.forms import BULK_MAX
from reputation.mentions.models import Mention, MentionStatus, Sentiment
from reputation.names.models import TrackedName
from reputation.orgs.models import Organisation

# A tone correction: a sentiment, or "auto" to give it back to the scorer (named
# CorrectionEnum in the schema, apart from the mentions' own SentimentEnum).
CORRECTIONS = [*Sentiment.choices, ("auto", "auto")]


class OrganisationOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="code")
    role = serializers.CharField(help_text="The key's member's role.")

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "time_zone", "language", "created", "role"]


class TrackedNameOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="code")
    competitor = serializers.BooleanField(source="is_competitor")

    class Meta:
        model = TrackedName
        fields = [
            "id", "label", "kind", "competitor", "aliases", "context_terms", "exclude_terms",
            "languages", "active", "created",
        ]  # fmt: skip


class SafeURLField(serializers.CharField):
    """An address read from the web, given out only if it is an absolute http(s) one
    ("" otherwise): a client may make it a link, and a row stored before the checks,
    or by a path that forgot them, must not give it a `javascript:` one."""

    def to_representation(self, value):
        return safe_url(str(value or ""))


class SourceOut(serializers.Serializer):
    id = serializers.UUIDField(source="source.code")
    name = serializers.CharField(help_text="The organisation's name for it, else its title.")
    url = SafeURLField(source="source.url")
    site_url = SafeURLField(source="source.site_url")
    kind = serializers.CharField(source="source.kind")
    followed_since = serializers.DateTimeField(source="created")
    state = serializers.CharField(source="source.state")
    last_checked = serializers.DateTimeField(source="source.last_fetch_at", allow_null=True)
    last_success = serializers.DateTimeField(source="source.last_success_at", allow_null=True)
    consecutive_errors = serializers.IntegerField(source="source.error_count")
    last_error = serializers.CharField(source="source.last_error")
    newest_item = serializers.DateTimeField(source="source.newest", allow_null=True)
    silent = serializers.BooleanField(
        source="source.silent", help_text="Quieter than its usual rhythm."
    )


class MentionOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="code")
    url = SafeURLField(source="item.url")
    reply_url = SafeURLField()
    tracked_name = serializers.UUIDField(source="tracked_name.code")
    source = serializers.UUIDField(source="source.code", allow_null=True)
    text = serializers.CharField(help_text="The whole text as the organisation's source gave it.")
    corrected = serializers.BooleanField()
    assignee = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Mention
        fields = [
            "id", "url", "title", "author", "snippet", "text", "highlights", "language",
            "published", "created", "tracked_name", "source", "sentiment", "score",
            "confidence", "corrected", "needs_review", "aspects", "status", "reply_url",
            "assignee", "tags", "priority",
        ]  # fmt: skip

    def get_tags(self, mention) -> list[str]:
        return sorted(t.name for t in mention.tags.all())


class MentionListOut(serializers.Serializer):
    results = MentionOut(many=True)
    next_cursor = serializers.CharField(help_text="Empty on the last page.")


class MentionChange(serializers.Serializer):
    """Every field is optional; what is given is applied, each through the UI's own
    function, and journaled as the member who owns the key."""

    status = serializers.ChoiceField(MentionStatus.choices, required=False)
    reply_url = serializers.URLField(
        max_length=2000, required=False, help_text="Where it was answered (status answered)."
    )
    sentiment = serializers.ChoiceField(
        CORRECTIONS,
        required=False,
        help_text="A tone correction; `auto` gives it back to the scorer.",
    )
    assignee = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="A member's user id, or null."
    )
    add_tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20
    )
    remove_tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20
    )

    def validate(self, data):
        if not data:
            raise serializers.ValidationError(_("Nothing to change."))
        if "reply_url" in data and data.get("status") != MentionStatus.ANSWERED:
            raise serializers.ValidationError({"reply_url": [_("Only with the status answered.")]})
        return data


class BulkChange(MentionChange):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=BULK_MAX)

    def validate(self, data):
        ids = data.pop("ids")
        data = super().validate(data)
        data["ids"] = ids
        return data


class BulkOut(serializers.Serializer):
    changed = serializers.IntegerField()


class PreferenceIO(serializers.ModelSerializer):
    id = serializers.UUIDField(source="code", read_only=True)
    threshold = serializers.IntegerField(min_value=0, max_value=100, required=False)
    digest = serializers.ChoiceField(DigestFrequency.choices, required=False)
    language = serializers.ChoiceField(settings.LANGUAGES, required=False)
    tracked_names = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=TrackedName.objects.none()
    )

    class Meta:
        model = AlertPreference
        fields = [
            "id", "instant", "spikes", "threshold", "digest", "monthly_report",
            "tracked_names", "quiet_start", "quiet_end", "language",
        ]  # fmt: skip

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracked_names"].child_relation.queryset = TrackedName.objects.filter(
            organisation=organisation
        )

    def validate(self, data):
        start = data.get("quiet_start", getattr(self.instance, "quiet_start", None))
        end = data.get("quiet_end", getattr(self.instance, "quiet_end", None))
        if bool(start) != bool(end):
            raise serializers.ValidationError(_("Give both ends of the quiet hours, or neither."))
        return data


class WebhookIO(serializers.ModelSerializer):
    """The fields Webhook has today (signing secrets come with the webhooks work)."""

    id = serializers.UUIDField(source="code", read_only=True)
    kind = serializers.ChoiceField(WebhookKind.choices, default=WebhookKind.SLACK)

    class Meta:
        model = Webhook
        fields = ["id", "url", "kind", "active", "created"]
        read_only_fields = ["active", "created"]

    def validate_url(self, url):
        try:
            netguard.check_url(url, allow_private=settings.FETCH_ALLOW_PRIVATE_ADDRESSES)
        except netguard.Refused as exc:
            raise serializers.ValidationError(_("This address cannot receive alerts.")) from exc
        return url


class StatisticsQuery(serializers.Serializer):
    days = serializers.ChoiceField([7, 30, 90], required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class Totals(serializers.Serializer):
    total = serializers.IntegerField()
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()
    index = serializers.IntegerField(
        allow_null=True,
        help_text="Reputation index, 0-100; null when the period has no mention to judge by.",
    )


class Point(serializers.Serializer):
    day = serializers.DateField(help_text="First day of the point (days, then weeks).")
    total = serializers.IntegerField()
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()
    net = serializers.IntegerField(allow_null=True)


class Share(serializers.Serializer):
    label = serializers.CharField()
    own = serializers.BooleanField()
    n = serializers.IntegerField()
    pct = serializers.IntegerField()
    pct_before = serializers.IntegerField(allow_null=True)


class TopSource(serializers.Serializer):
    label = serializers.CharField()
    n = serializers.IntegerField()
    negative = serializers.IntegerField()


class StatisticsOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    time_zone = serializers.CharField()
    current = Totals()
    previous = Totals()
    over_time = Point(many=True)
    share_of_voice = Share(many=True)
    top_sources = TopSource(many=True)
