"""The committee's monitoring during the session (16.6)."""

from django.urls import path

from fairload.web.monitoring import views

_AT = "schools/<slug:slug>/monitoring/"

urlpatterns = [
    path(_AT, views.monitoring_home, name="monitoring-home"),
    path(f"{_AT}meetings/add/", views.meeting_add, name="monitoring-meeting-add"),
    path(f"{_AT}meetings/<int:pk>/", views.meeting_page, name="monitoring-meeting"),
    path(f"{_AT}meetings/<int:pk>/edit/", views.meeting_edit, name="monitoring-meeting-edit"),
    path(f"{_AT}issues/raise/", views.issue_raise_view, name="monitoring-issue-raise"),
    path(f"{_AT}issues/<int:pk>/", views.issue_page, name="monitoring-issue"),
    path(
        f"{_AT}issues/<int:pk>/respond/",
        views.issue_respond_view,
        name="monitoring-issue-respond",
    ),
    path(f"{_AT}changes/add/", views.change_add, name="monitoring-change-add"),
    path(f"{_AT}changes/<int:pk>/edit/", views.change_edit, name="monitoring-change-edit"),
]
