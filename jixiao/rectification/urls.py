from django.urls import path

from jixiao.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_create, name="create"),
    path("<id:task_id>/", views.task_detail, name="detail"),
    path("<id:task_id>/report/", views.task_report, name="report"),
    path("<id:task_id>/decide/", views.task_decide, name="decide"),
    path("<id:task_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(
        "evidence/<id:rectification_evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
]
