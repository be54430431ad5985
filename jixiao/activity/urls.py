from django.urls import path

from jixiao.activity import views

app_name = "activity"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("export.xlsx", views.event_export, name="export"),
]
