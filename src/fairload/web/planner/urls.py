from django.urls import path

from fairload.web.planner import views

_P = "schools/<slug:slug>/agreement/plan/"

urlpatterns = [
    path(_P, views.plan_start_view, name="planner-start"),
    path(f"{_P}<int:pk>/", views.plan_run_view, name="planner-run"),
    path(f"{_P}<int:pk>/status/", views.plan_run_status_view, name="planner-run-status"),
    path(f"{_P}<int:pk>/use/", views.plan_run_apply_view, name="planner-run-apply"),
    path(f"{_P}<int:pk>/again/", views.plan_run_again_view, name="planner-run-again"),
    path(f"{_P}what-if/", views.plan_whatif_view, name="planner-whatif"),
]
