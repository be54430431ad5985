"""报告审查 pages: /audit/ (reviewers) and /audit/prefill/<pk>/ (a unit's own evaluation)."""

from django.urls import path

from jixiao.audit import views

app_name = "audit_web"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("summary.xlsx", views.summary, name="summary"),
    path("prefill/<id:pk>/", views.prefill, name="prefill"),
]
