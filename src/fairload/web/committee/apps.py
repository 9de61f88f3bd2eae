from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    """The agreement's record beyond its allocations and process: committees and working
    groups, the School Negotiating Committee, and the timetable cycle."""

    name = "fairload.web.committee"
    label = "committee"
    default_auto_field = "django.db.models.BigAutoField"
