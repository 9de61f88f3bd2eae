from django.urls import path

from fairload.web.accounts import account_views, people_views, union_views

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
    path("schools/<slug:slug>/people/", people_views.school_people, name="school-people"),
    path(
        "schools/<slug:slug>/people/add/",
        people_views.school_person_add,
        name="school-person-add",
    ),
    path("people/", people_views.people_list, name="people"),
    path("people/add/", people_views.person_add, name="person-add"),
    path("people/<int:pk>/", people_views.person_detail, name="person"),
    path("people/<int:pk>/roles/", people_views.person_role_add, name="person-role-add"),
    path(
        "people/<int:pk>/roles/<int:membership>/remove/",
        people_views.person_role_remove,
        name="person-role-remove",
    ),
    path("people/<int:pk>/post/", people_views.person_post_link, name="person-post-link"),
    path("people/<int:pk>/disable/", people_views.person_disable, name="person-disable"),
    path("people/<int:pk>/enable/", people_views.person_enable, name="person-enable"),
    path(
        "people/<int:pk>/password-link/",
        people_views.person_password_reset,
        name="person-password-reset",
    ),
    path("people/<int:pk>/erase/", people_views.person_erase, name="person-erase"),
    path("account/", account_views.account, name="account"),
    path("account/my-data.json", account_views.account_data, name="account-data"),
    path("account/two-factor/", account_views.two_factor, name="account-two-factor"),
]
