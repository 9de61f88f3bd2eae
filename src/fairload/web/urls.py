from django.contrib.auth import views as auth_views
from django.urls import path

from fairload.web.api.routes import api
from fairload.web.schools import views

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", api.urls),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("councils/<slug:slug>/", views.council_overview, name="council-overview"),
    path("schools/<slug:slug>/", views.school_dashboard, name="school-dashboard"),
    path("schools/<slug:slug>/teachers/<slug:staff_id>/", views.teacher_page, name="teacher-page"),
]
