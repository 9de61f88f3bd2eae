from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "fairload.web.ballots"
    label = "ballots"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The policies workflows name when they open a ballot (the agreement's own).
        from fairload.web.ballots import policies  # noqa: F401
