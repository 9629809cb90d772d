from django.contrib import admin

from reputation.privacy.models import AuditEvent, PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    """The service operator's queue: requests that named no known organisation."""

    list_display = ("created", "due", "kind", "organisation", "organisation_named", "status")
    list_filter = ("status", "kind", ("organisation", admin.EmptyFieldListFilter))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created", "organisation_name", "user_email", "action")
    list_filter = ("action",)
