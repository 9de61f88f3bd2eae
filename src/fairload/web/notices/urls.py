from django.urls import path

from fairload.web.notices import views

urlpatterns = [
    path("account/notifications/", views.my_notices, name="my-notices"),
]
