from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "fairload.web.planner"
    label = "planner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fairload.web.planner import tasks  # noqa: F401
