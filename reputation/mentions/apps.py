from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "reputation.mentions"
    label = "mentions"
    verbose_name = "Mentions"
