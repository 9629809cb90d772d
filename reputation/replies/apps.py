from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "reputation.replies"
    label = "replies"
    verbose_name = "Replies"
