from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """The committee's monitoring during the session (JNCT2.7 16.6): its meetings, the
    issues staff raise with it, and changes to practice or policy it was or was not
    consulted on."""

    name = "fairload.web.monitoring"
    label = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"
