"""A school's committees and working groups and its School Negotiating Committee."""

from django.urls import path

from fairload.web.committee import views

urlpatterns = [
    path("schools/<slug:slug>/committee/", views.school_committee, name="school-committee"),
    path(
        "schools/<slug:slug>/committee/members/add/",
        views.committee_seat_add,
        name="committee-seat-add",
    ),
    path(
        "schools/<slug:slug>/committee/members/<int:pk>/edit/",
        views.committee_seat_edit,
        name="committee-seat-edit",
    ),
    path(
        "schools/<slug:slug>/committee/members/<int:pk>/remove/",
        views.committee_seat_remove,
        name="committee-seat-remove",
    ),
    path("schools/<slug:slug>/committee/unions/", views.committee_unions, name="committee-unions"),
    path("schools/<slug:slug>/groups/add/", views.group_add, name="group-add"),
    path("schools/<slug:slug>/groups/<slug:group_id>/edit/", views.group_edit, name="group-edit"),
    path(
        "schools/<slug:slug>/groups/<slug:group_id>/delete/",
        views.group_delete_view,
        name="group-delete",
    ),
]
