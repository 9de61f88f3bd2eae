"""The calendar pages: month and week views and the year week by week, for a school and
for one teacher."""

from django.urls import path

from fairload.web.schools import calendar_views, heatmap_views

urlpatterns = [
    path(
        "schools/<slug:slug>/calendar/",
        calendar_views.school_calendar,
        name="school-calendar",
    ),
    path(
        "schools/<slug:slug>/heatmap/",
        heatmap_views.school_heatmap,
        name="school-heatmap",
    ),
    path(
        "schools/<slug:slug>/teachers/<slug:staff_id>/calendar/",
        calendar_views.teacher_calendar,
        name="teacher-calendar",
    ),
    path(
        "schools/<slug:slug>/teachers/<slug:staff_id>/heatmap/",
        heatmap_views.teacher_heatmap,
        name="teacher-heatmap",
    ),
]
