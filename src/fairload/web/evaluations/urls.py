"""The annual evaluation of the agreement (Appendix 3, 16.7)."""

from django.urls import path

from fairload.web.evaluations import pdf_views, views

_AT = "schools/<slug:slug>/evaluation/"

urlpatterns = [
    path(_AT, views.evaluation_home, name="evaluation-home"),
    path(f"{_AT}open/", views.evaluation_open_view, name="evaluation-open"),
    path(f"{_AT}answer/", views.evaluation_answer_view, name="evaluation-answer"),
    path(f"{_AT}close/", views.evaluation_close_view, name="evaluation-close"),
    path(f"{_AT}summary.json", views.evaluation_export, name="evaluation-export"),
    path(f"{_AT}form.pdf", pdf_views.evaluation_form_pdf_view, name="evaluation-form-pdf"),
    path(f"{_AT}summary.pdf", pdf_views.evaluation_summary_pdf_view, name="evaluation-summary-pdf"),
]
