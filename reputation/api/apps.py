from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reputation.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the Bearer key scheme with drf-spectacular.
        from reputation.api import schema  # noqa: F401
