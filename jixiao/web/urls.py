from django.contrib.auth import views as auth_views
from django.urls import path

from jixiao.accounts.views import LoginView
from jixiao.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
