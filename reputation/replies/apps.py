from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "reputation.replies"
    label = "replies"
    verbose_name = "Replies"

    def ready(self):
        # Imported here, not at the top: the figures import models, which exist only
        # once every app is loaded.
        from reputation.mentions import signals
        from reputation.replies import figures

        # A person's answer or correction changes the figures at once.
        signals.triaged.connect(figures.forget, dispatch_uid="replies-figures-forget")
