from django.apps import AppConfig


class WebConfig(AppConfig):
    """The project app: base templates, static files and management commands."""

    name = "fairload.web"
    label = "fairload_web"
