from django.apps import AppConfig


class ReputationConfig(AppConfig):
    name = "reputation"
    verbose_name = "Reputation"

    def ready(self):
        from monitoring import bench

        bench.register("inbox", "reputation.inbox.bench")
