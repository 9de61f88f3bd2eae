from django.apps import AppConfig


class ProformasConfig(AppConfig):
    name = "fairload.web.proformas"
    label = "proformas"
    default_auto_field = "django.db.models.BigAutoField"
