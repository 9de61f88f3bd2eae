from django.urls import path

from fairload.web.ballots import views

urlpatterns = [
    path("schools/<slug:slug>/ballots/", views.ballot_list, name="ballot-list"),
    path("schools/<slug:slug>/ballots/new/", views.ballot_new, name="ballot-new"),
    path("schools/<slug:slug>/ballots/<int:pk>/", views.ballot_detail, name="ballot-detail"),
    path("schools/<slug:slug>/ballots/<int:pk>/vote/", views.ballot_vote_view, name="ballot-vote"),
    path(
        "schools/<slug:slug>/ballots/<int:pk>/reissue/",
        views.ballot_reissue_view,
        name="ballot-reissue",
    ),
    path(
        "schools/<slug:slug>/ballots/<int:pk>/close/", views.ballot_close_view, name="ballot-close"
    ),
]
