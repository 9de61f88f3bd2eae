from django.apps import AppConfig


class WorkloadAuditConfig(AppConfig):
    name = "fairload.web.workload_audit"
    label = "workload_audit"
    default_auto_field = "django.db.models.BigAutoField"
