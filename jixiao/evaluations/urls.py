"""绩效自评: list, overview, section editing (with live scoring and autosave), documents, evidence."""

from django.urls import path

from jixiao.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.section_edit, name="edit"),
    path("<int:pk>/edit/<slug:section>/score/", views.preview_score, name="preview_score"),
    path("<int:pk>/edit/<slug:section>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/document/<str:fmt>/", views.document, name="document"),
    path("<int:pk>/preview/", views.report_preview, name="preview"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path(
        "<int:pk>/evidence/<int:evidence_id>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "<int:pk>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
]
