from django.contrib import admin

from reputation.mentions.models import Mention
from reputation.names.models import TrackedName, TrackedNameSource
from reputation.orgs.models import Membership, Organisation
from reputation.sources.models import Follow


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


class TrackedNameSourceInline(admin.TabularInline):
    model = TrackedNameSource
    extra = 0
    raw_id_fields = ["source"]


@admin.register(TrackedName)
class TrackedNameAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "organisation", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["label", "organisation__name"]
    inlines = [TrackedNameSourceInline]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["tracked_name", "organisation", "sentiment", "status", "published"]
    list_filter = ["sentiment", "status", "needs_review"]
    search_fields = ["snippet", "title"]
    raw_id_fields = [
        "item",
        "tracked_name",
        "organisation",
        "source",
        "assigned_to",
        "corrected_by",
    ]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["organisation", "source", "created"]
    raw_id_fields = ["source", "tracked_name"]
