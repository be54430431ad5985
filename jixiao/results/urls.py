from django.urls import path

from jixiao.results import views

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
    path("rules/", views.rules, name="rules"),
    path("override/<id:evaluation_id>/", views.override, name="override"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/compute/", views.assessment_compute, name="assessment_compute"),
    path("trends/", views.trends, name="trends"),
    path("public/", views.public, name="public"),
    path("public/advice/", views.publish_advice, name="publish_advice"),
    path("assessment.xlsx", views.assessment_export, name="assessment_export"),
]
