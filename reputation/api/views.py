"""API resources, each read from the key's organisation (reputation/api/base.py).

Mentions are listed by the inbox's own rule (reputation.inbox.filters) and paged
by its keyset (reputation.inbox.pages); statistics are the dashboard's figures.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from monitoring.pipeline import health
from reputation.alerts import caps
from reputation.alerts.models import Webhook
from reputation.alerts.preferences import preference_for
from reputation.api import cursor, serializers, updates
from reputation.api.base import OrgView
from reputation.api.idempotency import idempotent
from reputation.api.models import ADMIN, WRITE
from reputation.dashboard.figures import figures
from reputation.dashboard.periods import period_from
from reputation.inbox.filters import inbox_queryset
from reputation.mentions.models import Mention, MentionStatus, Sentiment
from reputation.names.models import TrackedName
from reputation.sources.models import Follow

PAGE_DEFAULT, PAGE_MAX = 50, 200


class Organisations(OrgView):
    @extend_schema(responses=serializers.OrganisationOut(many=True))
    def get(self, request):
        org = self.org
        org.role = self.membership.role
        return Response(serializers.OrganisationOut([org], many=True).data)


class OrganisationDetail(OrgView):
    @extend_schema(responses=serializers.OrganisationOut)
    def get(self, request, code):
        if str(code) != str(self.org.code):
            return _not_found()
        org = self.org
        org.role = self.membership.role
        return Response(serializers.OrganisationOut(org).data)


class TrackedNames(OrgView):
    @extend_schema(responses=serializers.TrackedNameOut(many=True))
    def get(self, request):
        names = TrackedName.objects.filter(organisation=self.org).order_by("label", "pk")
        return Response(serializers.TrackedNameOut(names, many=True).data)


class Sources(OrgView):
    @extend_schema(responses=serializers.SourceOut(many=True))
    def get(self, request):
        now = timezone.now()
        follows = list(
            Follow.objects.filter(organisation=self.org)
            .select_related("source")
            .defer("source__config")
            .order_by("created", "pk")
            .prefetch_related(*health.prefetch_recent_published("source__"))
        )
        for follow in follows:
            source = follow.source
            dates = health.prefetched_published(source)
            source.silent = health.is_silent(source, now, dates)
            source.newest = health.last_published(dates)
            follow.name = follow.name or str(source)
        return Response(serializers.SourceOut(follows, many=True).data)


FILTERS = [
    OpenApiParameter("q", str, description="Words searched in the text."),
    OpenApiParameter("name", OpenApiTypes.UUID, description="A tracked name's id."),
    OpenApiParameter("sentiment", str, many=True, enum=Sentiment.values, explode=True),
    OpenApiParameter("status", str, many=True, enum=MentionStatus.values, explode=True),
    OpenApiParameter("source", OpenApiTypes.UUID, description="A source's id."),
    OpenApiParameter("language", str),
    OpenApiParameter("assignee", str, description="`me`, `none` or a user id."),
    OpenApiParameter("tag", OpenApiTypes.UUID),
    OpenApiParameter("period", int, enum=[1, 7, 30, 90, 365], description="Last n days."),
    OpenApiParameter(
        "since", str, description="Published at or after: a date or an ISO 8601 date-time."
    ),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Published on or before."),
    OpenApiParameter("sort", str, enum=["recent", "priority"]),
    OpenApiParameter("cursor", str, description="`next_cursor` of the previous page."),
    OpenApiParameter("limit", int, description=f"1 to {PAGE_MAX} (default {PAGE_DEFAULT})."),
]


def _not_found():
    raise NotFound(_("Nothing here, or not in this key's organisation."))


def _limit(params) -> int:
    raw = params.get("limit", "")
    if not raw:
        return PAGE_DEFAULT
    if not raw.isdigit() or not 1 <= int(raw) <= PAGE_MAX:
        raise ValidationError({"limit": [_("A number from 1 to %(n)d.") % {"n": PAGE_MAX}]})
    return int(raw)


def _mentions(qs):
    return qs.select_related("item", "tracked_name", "source").prefetch_related("tags")


class Mentions(OrgView):
    @extend_schema(
        operation_id="mentions_list", parameters=FILTERS, responses=serializers.MentionListOut
    )
    def get(self, request):
        params = request.query_params.copy()
        since = params.get("since", "")
        moment = None
        if since and parse_date(since) is None:
            try:
                moment = parse_datetime(since)
            except ValueError:
                moment = None
            if moment is None:
                raise ValidationError({"since": [_("A date or an ISO 8601 date-time.")]})
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, self.org.zone)
            params.pop("since")
        qs = inbox_queryset(self.org, params, user=request.user)
        if moment is not None:
            qs = qs.filter(published__gte=moment)
        rows, after = cursor.page(_mentions(qs), params.get("cursor", ""), _limit(params))
        data = {
            "results": serializers.MentionOut(updates.with_texts(rows), many=True).data,
            "next_cursor": after,
        }
        return Response(data)


class MentionDetail(OrgView):
    scopes = {"PATCH": WRITE}

    def _get(self, code):
        qs = _mentions(Mention.objects.filter(organisation=self.org))
        return updates.with_texts([get_object_or_404(qs, code=code)])[0]

    @extend_schema(responses=serializers.MentionOut)
    def get(self, request, code):
        return Response(serializers.MentionOut(self._get(code)).data)

    @extend_schema(request=serializers.MentionChange, responses=serializers.MentionOut)
    def patch(self, request, code):
        mention = self._get(code)
        change = serializers.MentionChange(data=request.data)
        change.is_valid(raise_exception=True)
        updates.apply(self.org, request.user, [mention], change.validated_data)
        return Response(serializers.MentionOut(self._get(code)).data)


class MentionBulk(OrgView):
    scopes = {"POST": WRITE}

    @extend_schema(request=serializers.BulkChange, responses=serializers.BulkOut)
    @idempotent
    def post(self, request):
        change = serializers.BulkChange(data=request.data)
        change.is_valid(raise_exception=True)
        data = dict(change.validated_data)
        ids = set(data.pop("ids"))
        mentions = list(
            Mention.objects.filter(organisation=self.org, code__in=ids).select_related(
                "source", "assigned_to"
            )
        )
        if len(mentions) != len(ids):
            # All or nothing: another organisation's id is as unknown as a wrong one.
            raise ValidationError({"ids": [_("Some of these mentions do not exist here.")]})
        n = updates.apply(self.org, request.user, mentions, data)
        return Response({"changed": n})


class Statistics(OrgView):
    @extend_schema(parameters=[serializers.StatisticsQuery], responses=serializers.StatisticsOut)
    def get(self, request):
        query = serializers.StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        # The organisation's days, as its dashboard counts them.
        today = timezone.localdate(timezone.now(), self.org.zone)
        period, form = period_from(request.query_params, today)
        if form.errors:
            raise ValidationError(form.errors)
        found = figures(self.org, period)
        data = {
            "start": period.start,
            "end": period.end,
            "time_zone": str(self.org.zone),
            "current": found["current"],
            "previous": found["previous"],
            "over_time": found["over_time"],
            "share_of_voice": found["share"],
            "top_sources": found["sources"],
        }
        return Response(serializers.StatisticsOut(data).data)


class Preferences(OrgView):
    """The key's member's own alert preferences (writing needs a write scope)."""

    scopes = {"PATCH": WRITE}

    def _serializer(self, *args, **kwargs):
        pref = preference_for(self.membership)
        return serializers.PreferenceIO(pref, *args, organisation=self.org, **kwargs)

    @extend_schema(responses=serializers.PreferenceIO)
    def get(self, request):
        return Response(self._serializer().data)

    @extend_schema(request=serializers.PreferenceIO, responses=serializers.PreferenceIO)
    def patch(self, request):
        found = self._serializer(data=request.data, partial=True)
        found.is_valid(raise_exception=True)
        found.save()
        caps.refresh()
        return Response(found.data)


class Webhooks(OrgView):
    scopes = {"*": ADMIN}

    @extend_schema(responses=serializers.WebhookIO(many=True))
    def get(self, request):
        hooks = Webhook.objects.filter(organisation=self.org).order_by("created", "pk")
        return Response(serializers.WebhookIO(hooks, many=True).data)

    @extend_schema(request=serializers.WebhookIO, responses={201: serializers.WebhookIO})
    @idempotent
    def post(self, request):
        found = serializers.WebhookIO(data=request.data)
        found.is_valid(raise_exception=True)
        hook = found.save(organisation=self.org)
        return Response(serializers.WebhookIO(hook).data, status=status.HTTP_201_CREATED)


class WebhookDetail(OrgView):
    scopes = {"*": ADMIN}

    @extend_schema(responses={204: None})
    def delete(self, request, code):
        hook = get_object_or_404(Webhook, organisation=self.org, code=code)
        hook.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
