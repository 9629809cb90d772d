from django.apps import AppConfig


class ReputationConfig(AppConfig):
    name = "reputation"
    verbose_name = "Reputation"

    def ready(self):
        from monitoring.pipeline import consumers
        from reputation.mentions.finder import MentionFinder
        from reputation.names import signals
        from reputation.security import login_throttle

        signals.connect()
        # The collector hands every poll's new sightings to the mention finder.
        consumers.register(MentionFinder())
        login_throttle.connect()
