from django.urls import path

from fairload.web.imports import views

urlpatterns = [
    path("schools/<slug:slug>/import/", views.import_start, name="import-start"),
    path("schools/<slug:slug>/import/<uuid:pk>/", views.import_preview, name="import-preview"),
    path("schools/<slug:slug>/import/<uuid:pk>/cancel/", views.import_cancel, name="import-cancel"),
    path("import/", views.import_new_school, name="import-new-school"),
    path("import/<uuid:pk>/", views.import_new_school_preview, name="import-new-school-preview"),
    path(
        "import/<uuid:pk>/cancel/",
        views.import_new_school_cancel,
        name="import-new-school-cancel",
    ),
    path(
        "schools/<slug:slug>/export/staff.csv",
        views.export_staff_csv,
        name="school-export-staff-csv",
    ),
    path(
        "schools/<slug:slug>/export/events.csv",
        views.export_events_csv,
        name="school-export-events-csv",
    ),
]
