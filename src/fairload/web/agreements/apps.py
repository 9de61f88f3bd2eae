from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "fairload.web.agreements"
    label = "agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A closed approval ballot bumps its year's revision (signals.py).
        from fairload.web.agreements import signals  # noqa: F401
        from fairload.web.agreements.deadlines import agreement_deadlines
        from fairload.web.feeds.deadlines import deadline_provider_register

        # The consultation's close, and what the process asks of each person, in feeds.
        deadline_provider_register(agreement_deadlines)
