"""报告审查 pages: /audit/ (reviewers: upload, then each audit job's findings) and
/audit/results/ (every stored result, filtered), /audit/campaign/<id>/ (审查全部已提交) and
/audit/prefill/<pk>/ (a unit's own evaluation)."""

from django.urls import path

from jixiao.audit import views

app_name = "audit_web"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/<id:job_id>/", views.job, name="job"),
    path("jobs/<id:job_id>/results/", views.job_results, name="job_results"),
    path("jobs/<id:job_id>/summary.xlsx", views.summary, name="summary"),
    path("results/", views.results, name="results"),
    path("results/<id:result_id>/", views.result, name="result"),
    path("results/<id:result_id>/again/", views.reaudit, name="reaudit"),
    path("campaign/<id:campaign_id>/", views.campaign, name="campaign"),
    path("evaluation/<id:evaluation_id>/", views.evaluation, name="evaluation"),
    path("prefill/<id:pk>/", views.prefill, name="prefill"),
]
