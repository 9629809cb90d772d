from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "reputation.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
