from django.apps import AppConfig


class ReputationConfig(AppConfig):
    """The project package: settings, URLs, Celery, commands, template tags; no models
    (each capability is its own app, see INSTALLED_APPS)."""

    name = "reputation"
    verbose_name = "Reputation"

    def ready(self):
        # Imported here, not at the top: the throttle's hooks import models, which exist
        # only once every app is loaded.
        from reputation.security import login_throttle

        login_throttle.connect()
