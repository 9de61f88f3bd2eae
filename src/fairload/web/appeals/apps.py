from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "fairload.web.appeals"
    label = "appeals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A failure to agree reported on the agreement's page (17.2) opens the appeal.
        from fairload.web.appeals import signals  # noqa: F401
