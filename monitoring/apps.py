from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        import sys

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from reputation.models import TrackedName

        # Changes made in this process are seen at once; other workers see them
        # within mentions.RECHECK_SECONDS. (A process that never imported mentions,
        # like the web server's, has no matcher to forget and loads no models for it.)
        def forget(**kwargs):
            mentions = sys.modules.get("monitoring.mentions")
            if mentions is not None:
                mentions.invalidate()

        for signal in (post_save, post_delete):
            signal.connect(forget, sender=TrackedName, weak=False)
        m2m_changed.connect(forget, sender=TrackedName.sources.through, weak=False)
