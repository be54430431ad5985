from django.urls import path

from jixiao.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("export.xlsx", views.project_export, name="export"),
    path("import/", views.import_projects, name="import"),
    path("import/mapping/", views.import_mapping, name="mapping"),
    path("<id:project_id>/", views.project_detail, name="detail"),
    path("<id:project_id>/edit/", views.project_edit, name="edit"),
    path("units/<id:unit_id>/budget/", views.unit_budget, name="unit_budget"),
]
