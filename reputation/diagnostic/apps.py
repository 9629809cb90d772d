from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "reputation.diagnostic"
    label = "diagnostic"
    verbose_name = "Free diagnostic"
    default_auto_field = "django.db.models.BigAutoField"
