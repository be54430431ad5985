from django.urls import path

from jixiao.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("picker/", views.picker, name="picker"),
    path("new/", views.organisation_create, name="create"),
    path("<id:organisation_id>/edit/", views.organisation_edit, name="edit"),
    path("import/", views.import_units, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:user_id>/", views.user_edit, name="user_edit"),
    path("users/<id:user_id>/password/", views.user_password, name="user_password"),
    path("users/<id:user_id>/active/", views.user_active, name="user_active"),
    path("users/<id:user_id>/two-factor/", views.user_two_factor, name="user_two_factor"),
]
