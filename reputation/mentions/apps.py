from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "reputation.mentions"
    label = "mentions"
    verbose_name = "Mentions"

    def ready(self):
        # Imported here, not at the top: these modules import models, which exist only
        # once every app is loaded.
        from monitoring.pipeline import consumers
        from reputation.mentions import finder, tasks
        from reputation.mentions.finding import matchers
        from reputation.names import signals

        # The collector hands every poll's new sightings to the mention finder.
        consumers.register(finder.MentionFinder())
        signals.matching_changed.connect(matchers.forget_matcher, dispatch_uid="finder-forget")
        # `tasks` is imported for its side effect: it registers the tasks that services
        # queue by name (reputation.celery.enqueue).
        del tasks
