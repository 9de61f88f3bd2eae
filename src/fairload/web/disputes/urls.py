from django.urls import path

from fairload.web.disputes import views

urlpatterns = [
    path("schools/<slug:slug>/disputes/", views.case_list, name="dispute-list"),
    path("schools/<slug:slug>/disputes/new/", views.case_new, name="dispute-new"),
    path("disputes/<int:pk>/", views.case_detail, name="dispute-detail"),
    path("disputes/<int:pk>/steps/<slug:step>/", views.case_step, name="dispute-step"),
    path(
        "disputes/<int:pk>/documents/<int:document>/",
        views.case_document,
        name="dispute-document",
    ),
    path("disputes/<int:pk>/close/", views.case_close, name="dispute-close"),
    path("disputes/<int:pk>/letter/", views.letter_view, name="dispute-letter"),
    path("disputes/<int:pk>/letter/pdf/", views.letter_pdf, name="dispute-letter-pdf"),
    path("disputes/<int:pk>/letter/share/", views.letter_share, name="dispute-letter-share"),
    path("schools/<slug:slug>/union-letters/", views.shared_list, name="dispute-letters-shared"),
    path(
        "schools/<slug:slug>/union-letters/<int:pk>/",
        views.shared_letter,
        name="dispute-letter-shared",
    ),
    path(
        "schools/<slug:slug>/union-letters/<int:pk>/pdf/",
        views.shared_letter_pdf,
        name="dispute-letter-shared-pdf",
    ),
]
