from django.urls import path

from fairload.web.planner import views

_P = "schools/<slug:slug>/agreement/plan/"

urlpatterns = [
    path(_P, views.plan_start_view, name="planner-start"),
    path(f"{_P}<int:pk>/", views.plan_run_view, name="planner-run"),
    path(f"{_P}<int:pk>/status/", views.plan_run_status_view, name="planner-run-status"),
    path(f"{_P}<int:pk>/use/", views.plan_run_apply_view, name="planner-run-apply"),
]
