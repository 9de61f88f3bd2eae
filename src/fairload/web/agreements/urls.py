from django.urls import path

from fairload.web.agreements import pdf_views, views

_S = "schools/<slug:slug>/agreement/"

urlpatterns = [
    path(_S, views.agreement_home, name="agreement-home"),
    path(f"{_S}start/", views.agreement_start, name="agreement-start"),
    path(f"{_S}draft/", views.draft_edit, name="agreement-draft"),
    path(f"{_S}versions/<int:number>/", views.version_detail, name="agreement-version"),
    path(f"{_S}compare/", views.versions_compare_view, name="agreement-compare"),
    path(f"{_S}consultation/", views.consultation_open_view, name="agreement-consultation"),
    path(
        f"{_S}consultation/close/",
        views.consultation_close_view,
        name="agreement-consultation-close",
    ),
    path(f"{_S}comments/", views.comments_view, name="agreement-comments"),
    path(
        f"{_S}comments/<int:pk>/answer/",
        views.comment_answer_view,
        name="agreement-comment-answer",
    ),
    path(f"{_S}final/", views.final_freeze_view, name="agreement-final"),
    path(f"{_S}ballot/", views.approval_ballot_view, name="agreement-ballot"),
    path(f"{_S}sign/", views.sign_view, name="agreement-sign"),
    path(f"{_S}submit/", views.submit_view, name="agreement-submit"),
    path(f"{_S}failure/", views.failure_view, name="agreement-failure"),
    path(f"{_S}pdf/", pdf_views.agreement_pdf_view, name="agreement-pdf"),
    path("councils/<slug:slug>/agreements/", views.council_queue_view, name="council-agreements"),
    path(
        "councils/<slug:slug>/agreements/<int:pk>/",
        views.council_decide_view,
        name="council-agreement",
    ),
]
