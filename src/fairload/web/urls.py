from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from fairload.web.accounts.people import SET_PASSWORD_SUBJECT
from fairload.web.accounts.sign_in import SignInView
from fairload.web.api import token_views
from fairload.web.api.routes import api
from fairload.web.audit import views as audit_views
from fairload.web.schools import deadline_views, views


def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer's health check (and the benchmark's trivial page)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("account/api-tokens/", token_views.api_tokens, name="api-tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        token_views.api_token_revoke_view,
        name="api-token-revoke",
    ),
    path("sign-in/", SignInView.as_view(), name="login"),
    path(
        "sign-in/reset/",
        auth_views.PasswordResetView.as_view(subject_template_name=SET_PASSWORD_SUBJECT),
        name="password_reset",
    ),
    path(
        "sign-in/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "sign-in/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sign-in/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("councils/<slug:slug>/", views.council_overview, name="council-overview"),
    path(
        "councils/<slug:slug>/deadline/",
        deadline_views.council_deadline_view,
        name="council-deadline",
    ),
    path("schools/<slug:slug>/", views.school_dashboard, name="school-dashboard"),
    path("schools/<slug:slug>/changes/", audit_views.school_audit, name="school-audit"),
    path("schools/<slug:slug>/teachers/<slug:staff_id>/", views.teacher_page, name="teacher-page"),
    path("", include("fairload.web.imports.urls")),
    path("", include("fairload.web.feeds.urls")),
    path("", include("fairload.web.accounts.urls")),
    path("", include("fairload.web.schools.calendar_urls")),
    path("", include("fairload.web.schools.edit_urls")),
    path("", include("fairload.web.ballots.urls")),
    path("", include("fairload.web.notices.urls")),
    path("", include("fairload.web.committee.urls")),
    path("", include("fairload.web.agreements.urls")),
    path("", include("fairload.web.proformas.urls")),
    path("", include("fairload.web.monitoring.urls")),
    path("", include("fairload.web.evaluations.urls")),
    path("", include("fairload.web.appeals.urls")),
    path("", include("fairload.web.disputes.urls")),
    path("", include("fairload.web.workload_audit.urls")),
    path("", include("fairload.web.planner.urls")),
]
