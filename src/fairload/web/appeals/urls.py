from django.urls import path

from fairload.web.appeals import views

_A = "appeals/<int:pk>/"
_F = "schools/<slug:slug>/flexible-approach/"

urlpatterns = [
    path(
        "councils/<slug:slug>/joint-secretaries/",
        views.queue_view,
        name="joint-secretaries",
    ),
    path(_A, views.appeal_view, name="appeal-detail"),
    path(f"{_A}record.pdf", views.appeal_pdf_view, name="appeal-pdf"),
    path(f"{_A}<str:kind>/convene/", views.convene_view, name="appeal-convene"),
    path(f"{_A}<str:kind>/attendees/", views.attendee_view, name="appeal-attendee"),
    path(f"{_A}<str:kind>/outcome/", views.outcome_view, name="appeal-outcome"),
    path(f"{_A}conclusion/", views.conclusion_view, name="appeal-conclusion"),
    path(f"{_A}documents/", views.document_add_view, name="appeal-document-add"),
    path(f"{_A}documents/<int:doc>/", views.document_view, name="appeal-document"),
    path(_F, views.flexible_view, name="flexible-approach"),
    path(f"{_F}<int:pk>/decide/", views.flexible_decide_view, name="flexible-approach-decide"),
]
