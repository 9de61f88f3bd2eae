from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "fairload.web.notices"
    label = "notices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Ballots tell their electors through the queue (tasks.py).
        from fairload.web.notices import tasks  # noqa: F401
