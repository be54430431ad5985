from django.urls import path

from jixiao.documents import views

app_name = "documents"
urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("campaign/<int:campaign_id>/", views.request_campaign, name="request_campaign"),
]
