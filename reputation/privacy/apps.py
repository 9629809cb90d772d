from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "reputation.privacy"
    label = "privacy"
    verbose_name = "Privacy (GDPR)"
