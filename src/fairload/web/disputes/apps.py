from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "fairload.web.disputes"
    label = "disputes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The members-only ballot policy, the closed ballot counted into its case, and
        # the case's steps and ballots kept off the school's changes page (signals.py).
        from fairload.web.disputes import signals  # noqa: F401
