"""A union's workload audit of a school (issue 12, section 1)."""

from django.urls import path

from fairload.web.workload_audit import council_views, views

_AT = "schools/<slug:slug>/workload-audit/"

urlpatterns = [
    path(_AT, views.audit_home, name="workload-audit"),
    path(f"{_AT}questions/<slug:question>/", views.answer_page, name="workload-audit-answer"),
    path(f"{_AT}what-you-may-refuse/", views.refusals_page, name="workload-audit-refusals"),
    path(f"{_AT}what-you-may-refuse.pdf", views.refusals_pdf_view, name="workload-audit-pdf"),
    path(f"{_AT}open-case/", views.open_case_page, name="workload-audit-open-case"),
    path(f"{_AT}files/<int:pk>/", views.upload_download, name="workload-audit-upload"),
    path(
        f"{_AT}check-records/<int:pk>/",
        views.check_record_download,
        name="workload-audit-check-record",
    ),
    # the union local officer's view across the council (issue 12, section 5)
    path(
        "councils/<slug:slug>/union-cases/",
        council_views.council_cases_view,
        name="union-cases",
    ),
    path(
        "councils/<slug:slug>/union-cases/cases.csv",
        council_views.council_csv,
        {"what": "cases"},
        name="union-cases-csv",
    ),
    path(
        "councils/<slug:slug>/union-cases/patterns.csv",
        council_views.council_csv,
        {"what": "patterns"},
        name="union-patterns-csv",
    ),
    path("disputes/<int:pk>/file.pdf", council_views.case_file_view, name="dispute-case-file"),
]
