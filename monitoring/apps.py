from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """The collector and analysis engine. It knows nothing of who reads what it
    collects: the product registers itself (monitoring.pipeline.consumers)."""

    name = "monitoring"
    verbose_name = "Monitoring"
