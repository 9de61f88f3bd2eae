"""The year's events and staff posts: lists for those who may see the school, and adding,
changing and deleting them (each re-checks the year) for those who may edit it."""

from django.urls import path

from fairload.web.schools import event_views, post_views

urlpatterns = [
    path("schools/<slug:slug>/events/", event_views.events_list, name="school-events"),
    path("schools/<slug:slug>/events/add/", event_views.event_add, name="event-add"),
    path(
        "schools/<slug:slug>/events/preview/",
        event_views.event_preview_view,
        name="event-preview",
    ),
    path(
        "schools/<slug:slug>/events/<str:event_id>/edit/",
        event_views.event_edit,
        name="event-edit",
    ),
    path(
        "schools/<slug:slug>/events/<str:event_id>/delete/",
        event_views.event_delete_view,
        name="event-delete",
    ),
    path("schools/<slug:slug>/staff/", post_views.staff_list, name="school-staff"),
    path("schools/<slug:slug>/staff/add/", post_views.post_add, name="post-add"),
    path(
        "schools/<slug:slug>/staff/preview/",
        post_views.post_preview_view,
        name="post-preview",
    ),
    path(
        "schools/<slug:slug>/staff/<slug:staff_id>/edit/",
        post_views.post_edit,
        name="post-edit",
    ),
    path(
        "schools/<slug:slug>/staff/<slug:staff_id>/delete/",
        post_views.post_delete_view,
        name="post-delete",
    ),
]
