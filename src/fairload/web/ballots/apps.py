from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "fairload.web.ballots"
    label = "ballots"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The policies workflows name when they open a ballot (the agreement's own).
        from fairload.web.ballots import policies  # noqa: F401
        from fairload.web.ballots.deadlines import ballot_deadlines
        from fairload.web.feeds.deadlines import deadline_provider_register

        # An open ballot's closing time in the feed of each elector yet to vote.
        deadline_provider_register(ballot_deadlines)
