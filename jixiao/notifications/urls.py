from django.urls import path

from jixiao.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("unread/", views.badge, name="badge"),
    path("<id:notification_id>/open/", views.open_notification, name="open"),
    path("<id:notification_id>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("failures/", views.failures, name="failures"),
    path("failures/<id:delivery_id>/retry/", views.retry, name="retry"),
]
