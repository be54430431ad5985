"""绩效自评: list, overview, section editing (with live scoring and autosave), documents, evidence."""

from django.urls import path

from jixiao.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("export.xlsx", views.evaluation_list_export, name="list_export"),
    path("<id:pk>/", views.evaluation_detail, name="detail"),
    path("<id:pk>/edit/<slug:section>/", views.section_edit, name="edit"),
    path("<id:pk>/edit/<slug:section>/score/", views.preview_score, name="preview_score"),
    path("<id:pk>/edit/<slug:section>/autosave/", views.autosave, name="autosave"),
    path("<id:pk>/document/<str:fmt>/", views.document, name="document"),
    path("<id:pk>/preview/", views.report_preview, name="preview"),
    path("<id:pk>/evidence/", views.evidence, name="evidence"),
    path(
        "<id:pk>/evidence/<id:evidence_id>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "<id:pk>/evidence/<id:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
]
