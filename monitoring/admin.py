from django.contrib import admin

from monitoring.models import Item, PollLog, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "last_success_at", "error_count", "next_fetch_at"]
    list_filter = ["kind", "state"]
    search_fields = ["url", "title"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "language", "published"]
    list_filter = ["language"]
    search_fields = ["title", "url"]
    raw_id_fields = ["source"]


@admin.register(PollLog)
class PollLogAdmin(admin.ModelAdmin):
    list_display = ["source", "started", "status", "items_found", "items_new", "error_code"]
    raw_id_fields = ["source"]
