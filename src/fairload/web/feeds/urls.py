from django.urls import path

from fairload.web.feeds import views

urlpatterns = [
    path("feeds/<str:token>.ics", views.feed, name="feed"),
    path("schools/<slug:slug>/export/", views.school_export, name="school-export"),
    path(
        "schools/<slug:slug>/export/school-year.yaml",
        views.school_export_yaml,
        name="school-export-yaml",
    ),
    path("schools/<slug:slug>/feeds/", views.school_feeds, name="school-feeds"),
    path(
        "schools/<slug:slug>/feeds/<int:pk>/revoke/",
        views.school_feed_revoke,
        name="school-feed-revoke",
    ),
    path(
        "schools/<slug:slug>/teachers/<slug:staff_id>/feeds/",
        views.teacher_feeds,
        name="teacher-feeds",
    ),
    path(
        "schools/<slug:slug>/teachers/<slug:staff_id>/feeds/<int:pk>/revoke/",
        views.teacher_feed_revoke,
        name="teacher-feed-revoke",
    ),
]
