from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """The annual evaluation of the agreement (JNCT2.7 Appendix 3, 16.7): put to every
    teacher, answered anonymously, summarised for the committee's annual review."""

    name = "fairload.web.evaluations"
    label = "evaluations"
    default_auto_field = "django.db.models.BigAutoField"
