from django.urls import path

from jixiao.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.search, name="search"),
    path("picker/", views.picker, name="picker"),
    path("<id:indicator_id>/", views.detail, name="detail"),
]
