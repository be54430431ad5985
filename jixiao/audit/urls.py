"""报告审查 pages: /audit/ (reviewers: upload, then each audit job's findings) and
/audit/prefill/<pk>/ (a unit's own evaluation)."""

from django.urls import path

from jixiao.audit import views

app_name = "audit_web"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/<id:job_id>/", views.job, name="job"),
    path("jobs/<id:job_id>/results/", views.job_results, name="job_results"),
    path("jobs/<id:job_id>/summary.xlsx", views.summary, name="summary"),
    path("prefill/<id:pk>/", views.prefill, name="prefill"),
]
