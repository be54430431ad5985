from django.urls import path

from jixiao.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<id:job_id>/", views.job_detail, name="detail"),
    path("<id:job_id>/progress/", views.job_progress, name="progress"),
    path("<id:job_id>/download/", views.job_download, name="download"),
    path("<id:job_id>/retry/", views.job_retry, name="retry"),
]
