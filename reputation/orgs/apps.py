from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "reputation.orgs"
    label = "orgs"
    verbose_name = "Organisations"
