from django.contrib.auth import views as auth_views
from django.urls import path

from jixiao.accounts.views import LoginView
from jixiao.web import health, session_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/status/", session_views.session_status, name="session_status"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("session/keepalive/", session_views.session_keepalive, name="session_keepalive"),
]
