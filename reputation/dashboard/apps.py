from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "reputation.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
