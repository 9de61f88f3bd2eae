"""A teacher's balance-of-time pro-forma (JNCT2.7 Appendix 2) and the head's list."""

from django.urls import path

from fairload.web.proformas import pdf_views, views

_ONE = "schools/<slug:slug>/teachers/<slug:staff_id>/proforma/"

urlpatterns = [
    path(_ONE, views.proforma_page, name="proforma-page"),
    path(f"{_ONE}totals/", views.proforma_totals, name="proforma-totals"),
    path(f"{_ONE}pdf/", pdf_views.proforma_pdf_view, name="proforma-pdf"),
    path(f"{_ONE}send/", views.proforma_send, name="proforma-send"),
    path(f"{_ONE}agree/", views.proforma_agree, name="proforma-agree"),
    path(f"{_ONE}return/", views.proforma_return, name="proforma-return"),
    path("schools/<slug:slug>/proformas/", views.proforma_list, name="proforma-list"),
]
