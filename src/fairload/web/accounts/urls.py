from django.urls import path

from fairload.web.accounts import union_views

urlpatterns = [
    path(
        "schools/<slug:slug>/teachers/<slug:staff_id>/union/",
        union_views.teacher_union,
        name="teacher-union",
    ),
    path(
        "schools/<slug:slug>/members/",
        union_views.school_union_members,
        name="school-union-members",
    ),
]
