from django.apps import AppConfig


class NamesConfig(AppConfig):
    name = "reputation.names"
    label = "names"
    verbose_name = "Tracked names"
