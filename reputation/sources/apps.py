from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "reputation.sources"
    label = "sources"
    verbose_name = "Followed sources"
