from django.apps import AppConfig


class WebSubConfig(AppConfig):
    """WebSub subscriptions of the collector: feeds whose hub pushes new items to us."""

    name = "monitoring.websub"
    label = "websub"
    verbose_name = "WebSub"
