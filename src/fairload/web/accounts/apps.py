from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairload.web.accounts"
    label = "accounts"
