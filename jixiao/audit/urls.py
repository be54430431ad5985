from django.urls import path  # noqa: F401

app_name = "audit_web"
urlpatterns: list = []
