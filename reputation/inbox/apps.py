from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "reputation.inbox"
    label = "inbox"
    verbose_name = "Inbox"
