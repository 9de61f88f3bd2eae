from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "fairload.web.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A closed approval ballot bumps its year's revision (signals.py).
        from fairload.web.agreements import signals  # noqa: F401
