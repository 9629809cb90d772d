from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reputation.accounts"
    label = "accounts"
    verbose_name = "Accounts"
