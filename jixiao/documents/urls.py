from django.urls import path

from jixiao.documents import views

app_name = "documents"
urlpatterns = [
    path("campaign/<id:campaign_id>/", views.request_campaign, name="request_campaign"),
]
