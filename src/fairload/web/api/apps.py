from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fairload.web.api"
    label = "api"
    verbose_name = "API"
