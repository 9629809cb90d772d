from django.contrib import admin

from monitoring.websub.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("topic", "hub", "state", "pending", "expires_at", "pushes", "refused_pushes")
    list_filter = ("state",)
    # The token and the secret authenticate the hub's calls: never shown.
    exclude = ("token", "secret")
    readonly_fields = ("source",)
