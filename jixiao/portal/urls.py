from django.urls import path

from jixiao.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("<id:publication_id>/", views.detail, name="detail"),
    path("<id:publication_id>/files/<str:fmt>/", views.download, name="download"),
]
