from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "fairload.web.schools"
    label = "schools"
