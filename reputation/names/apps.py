from django.apps import AppConfig


class NamesConfig(AppConfig):
    name = "reputation.names"
    label = "names"
    verbose_name = "Tracked names"

    def ready(self):
        # Imported here, not at the top: the receivers import models, which exist only
        # once every app is loaded.
        from reputation.names import signals

        signals.connect()
