from django.urls import path

from jixiao.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("overview/", views.overview, name="overview"),
    path("rulesets/", views.rulesets, name="rulesets"),
    path("rulesets/<str:ref>/export.xlsx", views.ruleset_export, name="ruleset_export"),
    path("<id:campaign_id>/", views.campaign_detail, name="detail"),
    path("<id:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<id:campaign_id>/add-units/", views.add_units, name="add_units"),
    path("<id:campaign_id>/progress.xlsx", views.progress_export, name="progress_export"),
    path(
        "<id:campaign_id>/evaluations/<id:evaluation_id>/extend/",
        views.extend,
        name="extend",
    ),
]
