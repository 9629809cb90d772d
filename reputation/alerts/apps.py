from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "reputation.alerts"
    label = "alerts"
    verbose_name = "Alerts"
