"""绩效运行监控: a report's page, its 绩效监控表, the upload, the round's settings, the warnings."""

from django.urls import path

from jixiao.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/export.xlsx", views.warning_export, name="warnings_export"),
    path("warnings/<id:warning_id>/", views.warning_detail, name="warning"),
    path("rounds/<id:campaign_id>/", views.round_settings, name="round"),
    path("<id:pk>/", views.report, name="report"),
    path("<id:pk>/sheet.<str:fmt>", views.sheet, name="sheet"),
    path("<id:pk>/import/", views.upload, name="import"),
]
